using System.Data;

namespace AuditService.Data;

/// <summary>
/// The only way into auditdb for the service's own work, under the scope procedure of Migrations/0005_audit_scope.sql.
/// A request opens a unit of work with its reader's scope; the writer and the jobs open theirs with the platform scope,
/// named where they do.
/// </summary>
public sealed class AuditDb(NpgsqlDataSource dataSource) : TenantDb(dataSource, "audit_scope")
{
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
    public ValueTask<NpgsqlConnection> OpenConnectionAsync(CancellationToken ct) => DataSource.OpenConnectionAsync(ct);
}
