namespace Testing;

/// <summary>AuditService's configuration for a test: its database, its signing key and platform API keys seeded at start-up.</summary>
public static class AuditServiceSettings
{
    public sealed record SeededKey(string Name, string Key, string Permission);

    /// <summary>In configuration form (sections joined by ':'); <see cref="AsEnvironment"/> gives the process form.</summary>
    public static Dictionary<string, string> For(TestDatabase database, string signingKey, params SeededKey[] keys)
    {
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings:auditdb"] = database.App,
            ["ConnectionStrings:auditdb-owner"] = database.Owner,
            ["Integrity:SigningKey"] = signingKey,
        };
        for (var i = 0; i < keys.Length; i++)
        {
            settings[$"ApiKeys:Seed:{i}:Name"] = keys[i].Name;
            settings[$"ApiKeys:Seed:{i}:Key"] = keys[i].Key;
            settings[$"ApiKeys:Seed:{i}:Scope"] = "platform";
            settings[$"ApiKeys:Seed:{i}:Permissions:0"] = keys[i].Permission;
        }

        return settings;
    }

    public static Dictionary<string, string> AsEnvironment(this Dictionary<string, string> settings) =>
        settings.ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value);
}
