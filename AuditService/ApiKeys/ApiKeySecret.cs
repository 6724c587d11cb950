using System.Security.Cryptography;
using System.Text;

namespace AuditService.ApiKeys;

/// <summary>
/// Keys have the form <see cref="ApiKeyFormat"/> says. The prefix finds the row; the SHA-256 of the whole key
/// is what is stored and compared in constant time. Keys carry 256 random bits, so a fast hash is
/// enough (a slow password hash protects guessable secrets, which these are not).
/// </summary>
public static class ApiKeySecret
{
    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    public static bool Matches(string key, byte[] storedHash) => CryptographicOperations.FixedTimeEquals(Hash(key), storedHash);
}
