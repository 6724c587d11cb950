// Loads N events across T tenants with real hashes (binary COPY), then measures the read API over HTTP
// (real Kestrel) beside the same queries as raw SQL, in the same run.
//   dotnet run -c Release --project bench/AuditQueryBench -- [events=1000000] [tenants=1000]
using System.Diagnostics;
using Testing;

namespace AuditQueryBench;

// Not top-level statements: those would make a second 'Program', clashing with AuditService's.
public static class Bench
{
    /// <summary>BENCH_AUTO_PREPARE=N turns on Npgsql's automatic prepared statements (plan caching) for the service and the raw SQL alike.</summary>
    public static string Prepared(string connectionString) =>
        Environment.GetEnvironmentVariable("BENCH_AUTO_PREPARE") is { Length: > 0 } n ? $"{connectionString};Max Auto Prepare={n}" : connectionString;

    public static async Task Main(string[] args)
    {

        var events = args.Length > 0 ? long.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000;
        var tenants = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1000;

        var postgres = new PostgresServer();
        await postgres.InitializeAsync();
        try
        {
            var database = await postgres.CreateDatabaseAsync("bench");
            await using var service = new BenchService(database);
            service.Start();

            var end = DateTimeOffset.UtcNow.AddMinutes(-1);
            var loader = new ChainLoader(database.Admin);
            await loader.EnsurePartitionsAsync(end.AddDays(-31), 3, CancellationToken.None);
            var load = Stopwatch.StartNew();
            const long chunk = 200_000;
            for (long from = 0; from < events; from += chunk)
            {
                await loader.LoadAsync(DataSet.Generate(from, Math.Min(events, from + chunk), events, tenants, end), CancellationToken.None);
                Console.WriteLine($"loaded {Math.Min(events, from + chunk):N0} events, {Math.Min(events, from + chunk) / load.Elapsed.TotalSeconds:N0}/s");
            }

            await Sql.ExecuteAsync(database.Admin, "VACUUM ANALYZE audit_events");
            Console.WriteLine($"load: {events:N0} events across {tenants:N0} tenants in {load.Elapsed.TotalSeconds:N0} s ({events / load.Elapsed.TotalSeconds:N0} events/s, hashes included)");

            await new Measurements(service, database, tenants).RunAsync();
        }
        finally
        {
            await postgres.DisposeAsync();
        }
    }
}
