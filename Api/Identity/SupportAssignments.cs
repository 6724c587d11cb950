using Api.Data;

namespace Api.Identity;

/// <summary>Which tenants each support user may see.</summary>
public sealed class SupportAssignments(AppDb db)
{
    /// <summary>Read while signing a support user in, to put the tenants in the token: platform scope, since that is what it finds out.</summary>
    public async Task<IReadOnlyList<Guid>> TenantsOfAsync(Guid userId, CancellationToken ct)
    {
        await using var scope = await db.OpenPlatformAsync(ct);
        await using var command = scope.Command("SELECT tenant_id FROM support_assignments WHERE user_id = @u ORDER BY tenant_id");
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
        await using var scope = await db.OpenTenantAsync(tenantId, ct);
        await using var command = scope.Command("INSERT INTO support_assignments (user_id, tenant_id) VALUES (@u, @t) ON CONFLICT DO NOTHING");
        command.Parameters.AddWithValue("u", userId);
        command.Parameters.AddWithValue("t", tenantId);
        return await scope.ExecuteAndCommitAsync(command, ct) == 1;
    }

    public async Task<bool> UnassignAsync(Guid userId, Guid tenantId, CancellationToken ct)
    {
        await using var scope = await db.OpenTenantAsync(tenantId, ct);
        await using var command = scope.Command("DELETE FROM support_assignments WHERE user_id = @u AND tenant_id = @t");
        command.Parameters.AddWithValue("u", userId);
        command.Parameters.AddWithValue("t", tenantId);
        return await scope.ExecuteAndCommitAsync(command, ct) == 1;
    }
}
