using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Api.Identity;

/// <summary>
/// The RSA key that signs access tokens: created on first start, kept in the database so that every
/// instance signs with the same key, and published (public half only) as JWKS so that other services
/// validate tokens without any shared secret. signing_keys belongs to no tenant (it has no row-level
/// security); it is read in the platform scope only because every access to appdb goes through AppDb.
/// </summary>
public sealed class SigningKeys(AppDb db)
{
    private RsaSecurityKey? _current;

    public RsaSecurityKey Current => _current ?? throw new InvalidOperationException("Signing keys are not loaded yet.");

    public async Task LoadAsync(CancellationToken ct)
    {
        await using (var scope = await db.OpenAsync(TenantScope.Platform, ct))
        await using (var select = scope.Command(
            "SELECT kid, private_pem FROM signing_keys WHERE retired_at IS NULL ORDER BY created_at DESC LIMIT 1"))
        await using (var reader = await select.ExecuteReaderAsync(ct))
        {
            if (await reader.ReadAsync(ct))
            {
                _current = FromPem(reader.GetString(0), reader.GetString(1));
                return;
            }
        }

        using var rsa = RSA.Create(2048);
        var kid = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        await using (var scope = await db.OpenAsync(TenantScope.Platform, ct))
        await using (var insert = scope.Command(
            "INSERT INTO signing_keys (kid, private_pem) VALUES (@kid, @pem) ON CONFLICT DO NOTHING"))
        {
            insert.Parameters.AddWithValue("kid", kid);
            insert.Parameters.AddWithValue("pem", rsa.ExportPkcs8PrivateKeyPem());
            await scope.ExecuteAndCommitAsync(insert, ct);
        }

        // Another instance may have raced us; whichever key is newest wins for everyone.
        await LoadAsync(ct);
    }

    public JsonWebKeySet PublicKeySet()
    {
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(Current.Rsa.ExportParameters(false)) { KeyId = Current.KeyId });
        jwk.Use = "sig";
        jwk.Alg = SecurityAlgorithms.RsaSha256;
        var set = new JsonWebKeySet();
        set.Keys.Add(jwk);
        return set;
    }

    private static RsaSecurityKey FromPem(string kid, string pem)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return new RsaSecurityKey(rsa) { KeyId = kid };
    }
}
