namespace Testing;

/// <summary>AuditService as a process over a test database, with one platform key that may write.</summary>
public static class AuditServiceProcess
{
    public static ServiceProcess Create(TestDatabase database, string writeKey, IReadOnlyDictionary<string, string>? settings = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__auditdb"] = database.App,
            ["ConnectionStrings__auditdb-owner"] = database.Owner,
            ["ApiKeys__Seed__0__Name"] = "platform-writer",
            ["ApiKeys__Seed__0__Key"] = writeKey,
            ["Integrity__SigningKey"] = "resilience-tests-signing-key-0123456789",
            ["ApiKeys__Seed__0__Scope"] = "platform",
            ["ApiKeys__Seed__0__Permissions__0"] = "events:write",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        return new ServiceProcess("AuditService", environment);
    }
}
