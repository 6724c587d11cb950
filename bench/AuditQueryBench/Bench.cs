// Loads N events across T tenants with real hashes (binary COPY), then measures the read API over HTTP
// (real Kestrel) beside the same queries as raw SQL, in the same run.
//   dotnet run -c Release --project bench/AuditQueryBench -- [events=1000000] [tenants=1000]
//   BENCH_LOAD_WORKERS=N: parallel COPY connections (default: the core count, at least 2)
using System.Diagnostics;
using Testing;

namespace AuditQueryBench;

// Not top-level statements: those would make a second 'Program', clashing with AuditService's.
public static class Bench
{
    /// <summary>
    /// The service prepares its statements (<see cref="Microsoft.Extensions.Hosting.PostgresPlanCaching"/>); the raw SQL gets the same settings.
    /// BENCH_AUTO_PREPARE=N sets Max Auto Prepare=N for both instead.
    /// </summary>
    public static string Prepared(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (Environment.GetEnvironmentVariable("BENCH_AUTO_PREPARE") is { Length: > 0 } n)
        {
            builder.MaxAutoPrepare = int.Parse(n, System.Globalization.CultureInfo.InvariantCulture);
        }

        Microsoft.Extensions.Hosting.PostgresPlanCaching.Apply(builder);
        return builder.ConnectionString;
    }

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
            // Parallel COPY connections, each owning the chains of every workers-th tenant (indexes stay live: the schema is the service's).
            var workers = Environment.GetEnvironmentVariable("BENCH_LOAD_WORKERS") is { Length: > 0 } w
                ? int.Parse(w, System.Globalization.CultureInfo.InvariantCulture) : Math.Max(2, Environment.ProcessorCount);
            var loaders = Enumerable.Range(0, workers).Select(_ => new ChainLoader(database.Admin)).ToArray();
            await loaders[0].EnsurePartitionsAsync(end.AddDays(-31), 3, CancellationToken.None);
            var load = Stopwatch.StartNew();
            const long chunk = 200_000;
            for (long from = 0; from < events; from += chunk)
            {
                var to = Math.Min(events, from + chunk);
                await Task.WhenAll(loaders.Select((loader, worker) => Task.Run(() =>
                    loader.LoadAsync(DataSet.Generate(from, to, events, tenants, end, worker: worker, workers: workers), CancellationToken.None))));
                Console.WriteLine($"loaded {to:N0} events, {to / load.Elapsed.TotalSeconds:N0}/s ({workers} COPY connections)");
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
