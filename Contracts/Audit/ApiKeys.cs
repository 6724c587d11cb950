using System.Buffers.Text;
using System.Security.Cryptography;

namespace Audit.Contracts;

/// <summary>
/// How an AuditService API key looks and travels: <c>audk_{prefix}_{secret}</c> (a marker, 12 hex characters that find the
/// key's row, and 256 random bits) in the <see cref="Header"/> header. AuditService issues and parses keys of this form,
/// the AppHost and the test hosts make them, and the audit client sends them.
/// </summary>
public static class ApiKeyFormat
{
    /// <summary>The request header a key travels in.</summary>
    public const string Header = "X-Api-Key";

    private const string Marker = "audk";
    private const int PrefixLength = 12;

    public static string New() =>
        $"{Marker}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(PrefixLength / 2))}_{Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32))}";

    /// <summary>The prefix of a key of this form; false for anything else.</summary>
    public static bool TryParsePrefix(string key, out string prefix)
    {
        prefix = "";
        var parts = key.Split('_', 3);
        if (parts.Length != 3 || parts[0] != Marker || parts[1].Length != PrefixLength || parts[2].Length < 20)
        {
            return false;
        }

        prefix = parts[1];
        return true;
    }
}

/// <summary>Whom an AuditService API key speaks for: one tenant, or every tenant (a platform service).</summary>
public static class ApiKeyScopes
{
    public const string Tenant = "tenant";
    public const string Platform = "platform";
}

/// <summary>What an AuditService API key may do.</summary>
public static class ApiKeyPermissions
{
    public const string Write = "events:write";
    public const string Read = "events:read";
    public const string Admin = "keys:admin";
    public static readonly string[] All = [Write, Read, Admin];
}

/// <summary>
/// A platform key AuditService stores (hashed) at start-up from its configuration, <c>ApiKeys:Seed:{i}:*</c>. This is the
/// one description of those settings: AuditService binds them, the AppHost and the test hosts write them.
/// </summary>
public sealed record ApiKeySeed(string Name, params string[] Permissions)
{
    public const string Section = "ApiKeys";

    /// <summary>The setting that carries the <paramref name="index"/>-th key's secret, in configuration form.</summary>
    public static string SecretSetting(int index) => $"{Section}:Seed:{index}:Key";

    /// <summary>Every other setting of the <paramref name="index"/>-th key, in configuration form.</summary>
    public IEnumerable<KeyValuePair<string, string>> Settings(int index)
    {
        yield return new($"{Section}:Seed:{index}:Name", Name);
        yield return new($"{Section}:Seed:{index}:Scope", ApiKeyScopes.Platform);
        for (var i = 0; i < Permissions.Length; i++)
        {
            yield return new($"{Section}:Seed:{index}:Permissions:{i}", Permissions[i]);
        }
    }

    /// <summary>A configuration key as an environment variable name (sections joined by "__").</summary>
    public static string AsEnvironmentName(string setting) => setting.Replace(":", "__", StringComparison.Ordinal);
}
