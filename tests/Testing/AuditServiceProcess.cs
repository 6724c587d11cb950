namespace Testing;

/// <summary>AuditService as a process over a test database, with one platform key that may write.</summary>
public static class AuditServiceProcess
{
    public static ServiceProcess Create(TestDatabase database, string writeKey, IReadOnlyDictionary<string, string>? settings = null)
    {
        var environment = AuditServiceSettings.For(database, "resilience-tests-signing-key-0123456789",
            new AuditServiceSettings.SeededKey("platform-writer", writeKey, "events:write")).AsEnvironment();
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        return new ServiceProcess("AuditService", environment);
    }
}
