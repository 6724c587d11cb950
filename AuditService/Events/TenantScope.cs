using Npgsql;

namespace AuditService.Events;

/// <summary>
/// Sets the tenant scope that row-level security reads, for one transaction only, so that a pooled
/// connection never carries one request's scope into the next.
/// </summary>
public static class TenantScope
{
    public static async Task ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction tx, IReadOnlyCollection<Guid>? tenants, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "SELECT set_config('app.all_tenants', @all, true), set_config('app.tenant_ids', @ids, true)", connection, tx);
        command.Parameters.AddWithValue("all", tenants is null ? "on" : "off");
        command.Parameters.AddWithValue("ids", tenants is null ? "" : string.Join(',', tenants));
        await command.ExecuteNonQueryAsync(ct);
    }
}
