namespace Api.FunctionalTests;

/// <summary>A tenant a test signed up: its owner's session, its id, and the owner's (a tenant admin's) client.</summary>
public sealed record SignedUpTenant(TokenResponse Owner, Guid Id, HttpClient Admin) : IDisposable
{
    public void Dispose() => Admin.Dispose();
}
