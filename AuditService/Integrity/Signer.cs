using System.Security.Cryptography;
using System.Text;

namespace AuditService.Integrity;

/// <summary>HMAC-SHA256 over a fixed, versioned text of what is vouched for.</summary>
public sealed class Signer(IOptions<IntegrityOptions> options)
{
    private readonly byte[] _key = Encoding.UTF8.GetBytes(options.Value.SigningKey);

    public byte[] Sign(params object[] parts) => HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(Text(parts)));

    public bool Verify(byte[] signature, params object[] parts) =>
        CryptographicOperations.FixedTimeEquals(signature, Sign(parts));

    private static string Text(object[] parts) => string.Join('|', parts.Select(p => p switch
    {
        byte[] bytes => Convert.ToHexStringLower(bytes),
        DateTimeOffset t => Microseconds.Text(t),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => p.ToString(),
    }));
}
