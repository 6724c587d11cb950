using Npgsql;

namespace AuditService.Events;

/// <summary>
/// Sets the tenant scope that row-level security reads, for one transaction only, so that a pooled
/// connection never carries one request's scope into the next.
/// </summary>
public static class TenantScope
{
    private const string Sql = "SELECT set_config('app.all_tenants', @all, true), set_config('app.tenant_ids', @ids, true)";

    public static async Task ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction tx, IReadOnlyCollection<Guid>? tenants, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(Sql, connection, tx);
        Bind(command.Parameters, tenants);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The same, as the first statement of a batch that runs in the transaction (one round trip for scope and query).</summary>
    public static NpgsqlBatchCommand Command(IReadOnlyCollection<Guid>? tenants)
    {
        var command = new NpgsqlBatchCommand(Sql);
        Bind(command.Parameters, tenants);
        return command;
    }

    private static void Bind(NpgsqlParameterCollection parameters, IReadOnlyCollection<Guid>? tenants)
    {
        parameters.AddWithValue("all", tenants is null ? "on" : "off");
        parameters.AddWithValue("ids", tenants is null ? "" : string.Join(',', tenants));
    }
}
