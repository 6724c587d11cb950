using System.Data;
using Npgsql;

namespace AuditService.Data;

/// <summary>
/// The only way into auditdb for the service's own work: a unit of work on one connection under one
/// <see cref="TenantScope"/>, which row-level security reads. A request opens one with its reader's scope; the writer
/// and the jobs open theirs with the platform scope, named where they do.
/// </summary>
public sealed class AuditDb(NpgsqlDataSource dataSource)
{
    /// <summary>auditdb's scope procedure (Migrations/0005_audit_scope.sql).</summary>
    private const string ScopeProcedure = "audit_scope";

    /// <summary>A unit of work on a pooled connection, returned to the pool when it is disposed.</summary>
    public async Task<DbScope> OpenAsync(TenantScope scope, CancellationToken ct) =>
        new(await dataSource.OpenConnectionAsync(ct), scope, ScopeProcedure);

    /// <summary>
    /// A unit of work in one transaction on a connection the caller keeps between units (the writer's lanes: a pooled
    /// connection would be reset, one more statement, for every group). The scope goes with its first command.
    /// </summary>
    public async Task<DbScope> BeginAsync(NpgsqlConnection connection, TenantScope scope, CancellationToken ct)
    {
        var unit = new DbScope(connection, scope, ScopeProcedure, ownsConnection: false);
        await unit.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
        return unit;
    }

    /// <summary>A connection for <see cref="BeginAsync"/>, with no scope of its own: it sees nothing outside a unit of work.</summary>
    public ValueTask<NpgsqlConnection> OpenConnectionAsync(CancellationToken ct) => dataSource.OpenConnectionAsync(ct);
}
