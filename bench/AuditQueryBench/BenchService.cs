using Audit.Contracts;
using Testing;

namespace AuditQueryBench;

/// <summary>AuditService on real Kestrel (loopback), over the benchmark's database.</summary>
public sealed class BenchService(TestDatabase database) : InMemoryAuditService<Program>(new AuditServiceHost(database, SeededKey.Reader(ReadKey))
{
    Settings = new Dictionary<string, string>
    {
        ["ConnectionStrings:auditdb"] = Bench.Prepared(database.App),
        ["Logging:LogLevel:Default"] = "Warning",
        // The walk is timed by Measurements when the data is loaded; the service's own must not run beside the figures.
        ["Integrity:FirstWalkDelay"] = "1.00:00:00",
    },
}, "Production")
{
    public static readonly string ReadKey = ApiKeyFormat.New();

    public HttpClient Client { get; private set; } = null!;

    public void Start()
    {
        UseKestrel(0);
        StartServer();
        Client = WithKey(ReadKey);
    }
}
