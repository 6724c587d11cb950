using Npgsql;

namespace Api.Identity;

/// <summary>Which tenants each support user may see.</summary>
public sealed class SupportAssignments(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<Guid>> TenantsOfAsync(Guid userId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT tenant_id FROM support_assignments WHERE user_id = @u ORDER BY tenant_id");
        command.Parameters.AddWithValue("u", userId);
        var list = new List<Guid>();
        await using var r = await command.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(r.GetGuid(0));
        }

        return list;
    }

    /// <summary>Answers false when the assignment already existed.</summary>
    public async Task<bool> AssignAsync(Guid userId, Guid tenantId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO support_assignments (user_id, tenant_id) VALUES (@u, @t) ON CONFLICT DO NOTHING");
        command.Parameters.AddWithValue("u", userId);
        command.Parameters.AddWithValue("t", tenantId);
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    public async Task<bool> UnassignAsync(Guid userId, Guid tenantId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM support_assignments WHERE user_id = @u AND tenant_id = @t");
        command.Parameters.AddWithValue("u", userId);
        command.Parameters.AddWithValue("t", tenantId);
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }
}
