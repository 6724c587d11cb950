namespace Api.Identity;

/// <summary>Which tenants each support user may see.</summary>
public sealed class SupportAssignments
{
    public async Task<IReadOnlyList<Guid>> TenantsOfAsync(DbScope db, Guid userId, CancellationToken ct)
    {
        await using var command = db.Command("SELECT tenant_id FROM support_assignments WHERE user_id = @u ORDER BY tenant_id");
        command.Parameters.AddWithValue("u", userId);
        return await command.ReadListAsync(r => r.GetGuid(0), ct);
    }

    /// <summary>Answers false when the assignment already existed.</summary>
    public Task<bool> AssignAsync(DbScope db, Guid userId, Guid tenantId, CancellationToken ct) =>
        ChangesOneRowAsync(db, "INSERT INTO support_assignments (user_id, tenant_id) VALUES (@u, @t) ON CONFLICT DO NOTHING", userId, tenantId, ct);

    public Task<bool> UnassignAsync(DbScope db, Guid userId, Guid tenantId, CancellationToken ct) =>
        ChangesOneRowAsync(db, "DELETE FROM support_assignments WHERE user_id = @u AND tenant_id = @t", userId, tenantId, ct);

    private static async Task<bool> ChangesOneRowAsync(DbScope db, string sql, Guid userId, Guid tenantId, CancellationToken ct)
    {
        await using var command = db.Command(sql);
        command.Parameters.AddWithValue("u", userId);
        command.Parameters.AddWithValue("t", tenantId);
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }
}
