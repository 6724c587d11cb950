namespace Api.FunctionalTests;

/// <summary>A tenant's admin, signed in: the session, the tenant's id, and the admin's client.</summary>
public sealed record TenantAdmin(TokenResponse Session, Guid TenantId, HttpClient Client) : IDisposable
{
    public void Dispose() => Client.Dispose();
}
