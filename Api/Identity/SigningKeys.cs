using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;
using Npgsql;

namespace Api.Identity;

/// <summary>
/// The RSA key that signs access tokens: created on first start, kept in the database so that every
/// instance signs with the same key, and published (public half only) as JWKS so that other services
/// validate tokens without any shared secret.
/// </summary>
public sealed class SigningKeys(NpgsqlDataSource dataSource)
{
    private RsaSecurityKey? _current;

    public RsaSecurityKey Current => _current ?? throw new InvalidOperationException("Signing keys are not loaded yet.");

    public async Task LoadAsync(CancellationToken ct)
    {
        await using (var select = dataSource.CreateCommand(
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
        await using (var insert = dataSource.CreateCommand(
            "INSERT INTO signing_keys (kid, private_pem) VALUES (@kid, @pem) ON CONFLICT DO NOTHING"))
        {
            insert.Parameters.AddWithValue("kid", kid);
            insert.Parameters.AddWithValue("pem", rsa.ExportPkcs8PrivateKeyPem());
            await insert.ExecuteNonQueryAsync(ct);
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
