using System.Security.Cryptography;
using System.Text;

namespace AuditService.ApiKeys;

/// <summary>
/// Keys look like <c>audk_{prefix}_{secret}</c>. The prefix finds the row; the SHA-256 of the whole key
/// is what is stored and compared in constant time. Keys carry 256 random bits, so a fast hash is
/// enough (a slow password hash protects guessable secrets, which these are not).
/// </summary>
public static class ApiKeySecret
{
    private const string Marker = "audk";

    public static (string Key, string Prefix) Generate()
    {
        var prefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return ($"{Marker}_{prefix}_{secret}", prefix);
    }

    public static bool TryParsePrefix(string key, out string prefix)
    {
        prefix = "";
        var parts = key.Split('_', 3);
        if (parts.Length != 3 || parts[0] != Marker || parts[1].Length != 12 || parts[2].Length < 20)
        {
            return false;
        }

        prefix = parts[1];
        return true;
    }

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    public static bool Matches(string key, byte[] storedHash) => CryptographicOperations.FixedTimeEquals(Hash(key), storedHash);
}
