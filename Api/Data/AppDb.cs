using Npgsql;

namespace Api.Data;

/// <summary>
/// The only way into appdb: a unit of work on one pooled connection under one <see cref="TenantScope"/>, which
/// row-level security reads (Migrations/0005_row_level_security.sql). A request opens one, with the caller's scope;
/// background work opens one per step, with the scope of what it works on.
/// </summary>
public sealed class AppDb(NpgsqlDataSource dataSource)
{
    /// <summary>appdb's scope procedure (Migrations/0005_row_level_security.sql).</summary>
    private const string ScopeProcedure = "app_scope";

    public async Task<DbScope> OpenAsync(TenantScope scope, CancellationToken ct) =>
        new(await dataSource.OpenConnectionAsync(ct), scope, ScopeProcedure);
}
