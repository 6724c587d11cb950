using Audit.Contracts;

namespace Testing;

/// <summary>
/// AuditService for a test, configured in one place: its database, its signing key, the platform keys it seeds and any
/// other settings. The test chooses how it runs: as a process (<see cref="Process"/>), or in memory
/// (<see cref="InMemoryAuditService{TProgram}"/>).
/// </summary>
public sealed record AuditServiceHost(TestDatabase Database, params SeededKey[] Keys)
{
    public string SigningKey { get; init; } = "tests-signing-key-0123456789abcdef";

    /// <summary>Further settings, in configuration form (sections joined by ':').</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>Everything AuditService is given, in configuration form.</summary>
    public Dictionary<string, string> Configuration()
    {
        var configuration = new Dictionary<string, string>
        {
            ["ConnectionStrings:auditdb"] = Database.App,
            ["ConnectionStrings:auditdb-owner"] = Database.Owner,
            ["Integrity:SigningKey"] = SigningKey,
        };
        for (var i = 0; i < Keys.Length; i++)
        {
            configuration[ApiKeySeed.SecretSetting(i)] = Keys[i].Secret;
            foreach (var (setting, value) in Keys[i].Seed.Settings(i))
            {
                configuration[setting] = value;
            }
        }

        foreach (var (setting, value) in Settings)
        {
            configuration[setting] = value;
        }

        return configuration;
    }

    /// <summary>Everything AuditService is given, as environment variables.</summary>
    public Dictionary<string, string> Environment() =>
        Configuration().ToDictionary(s => ApiKeySeed.AsEnvironmentName(s.Key), s => s.Value);

    /// <summary>AuditService from its build output as its own process on a free port (not started).</summary>
    public ServiceProcess Process() => new("AuditService", Environment());
}

/// <summary>A platform key AuditService seeds at start-up, with its secret.</summary>
public sealed record SeededKey(string Secret, ApiKeySeed Seed)
{
    public static SeededKey Writer(string secret) => new(secret, new ApiKeySeed("tests-writer", ApiKeyPermissions.Write));

    public static SeededKey Reader(string secret) => new(secret, new ApiKeySeed("tests-reader", ApiKeyPermissions.Read));

    public static SeededKey Admin(string secret) => new(secret, new ApiKeySeed("tests-admin", ApiKeyPermissions.Admin));

    public static SeededKey Everything(string secret) => new(secret, new ApiKeySeed("tests-all", ApiKeyPermissions.All));
}
