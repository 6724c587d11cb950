using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Api.Contracts;
using Microsoft.IdentityModel.Tokens;

namespace AuditService.QueryTests;

/// <summary>
/// Issues tokens as the Api does (RS256, its issuer, audience and claims) and publishes the key's JWKS
/// from a real Kestrel endpoint, which AuditService fetches exactly as it fetches the Api's.
/// </summary>
public sealed class TokenIssuer : IAsyncDisposable
{
    private readonly RSA _rsa;
    private readonly RsaSecurityKey _key;
    private readonly WebApplication _server;

    private TokenIssuer(WebApplication server, RSA rsa, RsaSecurityKey key)
    {
        _server = server;
        _rsa = rsa;
        _key = key;
    }

    public string JwksUrl { get; private set; } = "";

    public static async Task<TokenIssuer> StartAsync()
    {
        var rsa = RSA.Create(2048);
        var key = new RsaSecurityKey(rsa) { KeyId = Guid.NewGuid().ToString("N") };
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(false)) { KeyId = key.KeyId });
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/.well-known/jwks.json", () => Results.Text(
            JsonSerializer.Serialize(new { keys = new[] { new { kty = jwk.Kty, use = "sig", alg = "RS256", kid = jwk.Kid, n = jwk.N, e = jwk.E } } }),
            "application/json"));
        await app.StartAsync();
        var issuer = new TokenIssuer(app, rsa, key) { JwksUrl = $"{app.Urls.First()}/.well-known/jwks.json" };
        return issuer;
    }

    /// <summary>A token as <see cref="Issue"/> makes it, but signed by a key the JWKS does not publish.</summary>
    public string IssueSignedByAStranger(string sub, string role)
    {
        using var stranger = RSA.Create(2048);
        return Issue(sub, role, key: new RsaSecurityKey(stranger) { KeyId = "stranger" });
    }

    public string Issue(string sub, string role, Guid? tenant = null, IEnumerable<Guid>? supportTenants = null,
        string issuer = ApiTokens.Issuer, RsaSecurityKey? key = null)
    {
        var claims = new List<Claim> { new("sub", sub), new("email", $"{sub}@example.com"), new("name", sub), new("role", role) };
        if (tenant is { } t)
        {
            claims.Add(new Claim("tenant_id", t.ToString()));
        }

        claims.AddRange((supportTenants ?? []).Select(s => new Claim("support_tenants", s.ToString())));
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = ApiTokens.Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(10),
            SigningCredentials = new SigningCredentials(key ?? _key, SecurityAlgorithms.RsaSha256),
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _rsa.Dispose();
    }
}
