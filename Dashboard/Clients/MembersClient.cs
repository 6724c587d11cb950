namespace Dashboard.Clients;

/// <summary>The members of a tenant.</summary>
public sealed class MembersClient(HttpClient http)
{
    public Task<IReadOnlyList<UserView>> ListAsync(Guid tenant, CancellationToken ct = default) =>
        http.GetListAsync<UserView>($"/api/tenants/{tenant}/members", ct);
}
