namespace Dashboard.Clients;

/// <summary>The members of a tenant, and the users the signed-in user may see.</summary>
public sealed class MembersClient(HttpClient http)
{
    public Task<IReadOnlyList<UserView>> ListAsync(Guid tenant, CancellationToken ct = default) =>
        http.GetListAsync<UserView>($"/api/tenants/{tenant}/members", ct);

    /// <summary>Every user in the caller's scope (their tenant's; support's assigned tenants'; everyone for super admins).</summary>
    public Task<IReadOnlyList<UserListItem>> UsersAsync(CancellationToken ct = default) =>
        http.GetListAsync<UserListItem>("/api/users", ct);

    public Task<Invitation> InviteAsync(Guid tenant, InviteRequest request, CancellationToken ct = default) =>
        http.SendAsync<Invitation>(HttpMethod.Post, $"/api/tenants/{tenant}/members", request, ct);

    public Task<UserView> ChangeRoleAsync(Guid tenant, Guid user, string role, CancellationToken ct = default) =>
        http.SendAsync<UserView>(HttpMethod.Put, $"/api/tenants/{tenant}/members/{user}/role", new ChangeRoleRequest(role), ct);

    public async Task RemoveAsync(Guid tenant, Guid user, CancellationToken ct = default)
    {
        using var response = await http.DeleteAsync($"/api/tenants/{tenant}/members/{user}", ct);
        await ApiException.ThrowIfFailedAsync(response, ct);
    }
}
