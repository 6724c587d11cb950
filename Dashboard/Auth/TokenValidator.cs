using Dashboard.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Dashboard.Auth;

/// <summary>
/// Checks the Api's access tokens against the Api's published keys (JWKS), so the Dashboard trusts a
/// token's claims without any shared secret. Keys are cached and re-fetched when an unknown key id appears.
/// </summary>
public sealed class TokenValidator(IServiceScopeFactory scopes, IOptions<DashboardOptions> options, TimeProvider clock)
{
    private static readonly TimeSpan KeysFor = TimeSpan.FromMinutes(10);
    private readonly JsonWebTokenHandler _handler = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (IList<SecurityKey> Keys, DateTimeOffset FetchedAt)? _keys;

    public async Task<UserIdentity?> ValidateAsync(string token, CancellationToken ct)
    {
        var result = await ValidateWithAsync(token, await KeysAsync(refresh: false, ct));
        if (result is { IsValid: false, Exception: SecurityTokenSignatureKeyNotFoundException })
        {
            result = await ValidateWithAsync(token, await KeysAsync(refresh: true, ct));
        }

        if (!result.IsValid)
        {
            return null;
        }

        var claims = result.ClaimsIdentity.Claims.ToList();
        string? Value(string type) => claims.FirstOrDefault(c => c.Type == type)?.Value;
        return new UserIdentity(
            Guid.Parse(Value("sub")!),
            Value("email") ?? "",
            Value("name") ?? Value("email") ?? "",
            Value("role") ?? "",
            Guid.TryParse(Value("tenant_id"), out var tenant) ? tenant : null,
            claims.Where(c => c.Type == "support_tenants").Select(c => Guid.TryParse(c.Value, out var t) ? t : Guid.Empty)
                .Where(t => t != Guid.Empty).ToList());
    }

    private Task<TokenValidationResult> ValidateWithAsync(string token, IList<SecurityKey> keys) =>
        _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = options.Value.TokenIssuer,
            ValidAudience = options.Value.TokenAudience,
            IssuerSigningKeys = keys,
            ClockSkew = TimeSpan.FromSeconds(30),
        });

    private async Task<IList<SecurityKey>> KeysAsync(bool refresh, CancellationToken ct)
    {
        if (!refresh && _keys is { } cached && clock.GetUtcNow() - cached.FetchedAt < KeysFor)
        {
            return cached.Keys;
        }

        await _gate.WaitAsync(ct);
        try
        {
            using var scope = scopes.CreateScope();
            var set = await scope.ServiceProvider.GetRequiredService<IdentityClient>().JwksAsync(ct);
            var keys = set.GetSigningKeys();
            _keys = (keys, clock.GetUtcNow());
            return keys;
        }
        finally
        {
            _gate.Release();
        }
    }
}
