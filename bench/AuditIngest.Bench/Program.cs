using Audit.Contracts;
using AuditIngest.Bench;
using Testing;

// Ingest rate, in one run, against one throwaway PostgreSQL cluster and one audit_events table: end to end over
// HTTP with the durability contract (with one writer connection, then with the default two), raw binary COPY
// (the limit; also with the id ledger's rows, the limit for the same stored data), and one INSERT per event (the
// naive way). The default way and raw COPY take turns, window by window, so that each share of raw COPY compares
// windows taken a few seconds apart on this shared 2-core machine.
var seconds = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 10;
var rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3;
const int Clients = 16;
const int BatchSize = 100;
var key = ApiKeyFormat.New();
var duration = TimeSpan.FromSeconds(seconds);

var postgres = new PostgresServer();
await postgres.InitializeAsync();
await using var _ = postgres;
var database = await postgres.CreateDatabaseAsync("bench");
Console.WriteLine($"{Environment.ProcessorCount} cores, {seconds} s per window, {rounds} rounds, {Clients} clients, batches of {BatchSize}");

// AuditService's own stages in this process (no HTTP, no other process on the clock): BENCH_SPLIT_ONLY=<repeats> runs
// only these, after a service start has migrated the database; otherwise they run once after the windows.
async Task PrintSplitAsync(string when)
{
    var split = await StageSplit.RunAsync(database.App, BatchSize, requests: 500);
    Console.WriteLine($"AuditService CPU per event by stage ({when}; in-process, µs): parse {split.Parse:N2}, validate {split.Validate:N2}, " +
        $"hash {split.Hash:N2}, chain and write {split.Write:N2} (hashes again; PostgreSQL's CPU not counted); sum {split.Parse + split.Validate + split.Write:N2}");
}

if (Environment.GetEnvironmentVariable("BENCH_SPLIT_ONLY") is { } repeats)
{
    await using (var migrator = new AuditServiceHost(database, SeededKey.Writer(key)).Process())
    {
        await migrator.StartAsync();
        await migrator.KillAsync();
    }

    for (var r = 1; r <= int.Parse(repeats, System.Globalization.CultureInfo.InvariantCulture); r++)
    {
        await PrintSplitAsync($"repeat {r}");
    }

    return;
}

var costs = new List<(string Way, CpuMeter.Sample PerEvent, double WalPerEvent, long Checkpoints)>();
var wal = new WalMeter(database.Admin);
async Task<double> MeasureAsync(string way, int? servicePid, Func<Task<long>> run)
{
    var cpu = new CpuMeter(postgres.Cluster.DataDirectory, servicePid);
    var walBefore = await wal.ReadAsync();
    var before = cpu.Read();
    var events = await run();
    var after = cpu.Read();
    var walAfter = await wal.ReadAsync();
    costs.Add((way, new CpuMeter.Sample(
        (after.Bench - before.Bench) / events * 1e6, (after.Service - before.Service) / events * 1e6, (after.Postgres - before.Postgres) / events * 1e6),
        (double)(walAfter.WalBytes - walBefore.WalBytes) / events, walAfter.Checkpoints - walBefore.Checkpoints));
    return events / duration.TotalSeconds;
}

Task<double> CopyAsync(string way, bool withIdLedger = false) =>
    MeasureAsync(way, null, () => RawCopy.RunAsync(database.Admin, connections: 2, batchSize: 1000, duration, withIdLedger));

// Measures `rounds` windows; after each, `between` runs while the service sits idle (it keeps its connections).
async Task<List<double>> EndToEndAsync(int writerConnections, int rounds, Func<int, Task>? between = null)
{
    var settings = new Dictionary<string, string>
    {
        ["Ingest__EventsPerSecondPerKey"] = "10000000",
        ["Ingest__WriterConnections"] = writerConnections.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
    if (Environment.GetEnvironmentVariable("BENCH_MAX_BATCH") is { } maxBatch)
    {
        settings["Ingest__MaxBatchEvents"] = maxBatch;
    }

    if (Environment.GetEnvironmentVariable("BENCH_AUTO_PREPARE") is { } prepare)
    {
        // Npgsql's Max Auto Prepare for the service (0 = plan every statement every time, as before plan caching).
        settings["ConnectionStrings__auditdb"] = $"{database.App};Max Auto Prepare={prepare}";
    }

    // BENCH_SERVICE_<Key>=<value> gives the service a setting or runtime knob (e.g. BENCH_SERVICE_DOTNET_gcServer=0), for A/B runs.
    foreach (var (key, value) in BenchSettings.WithPrefix("BENCH_SERVICE_"))
    {
        settings[key] = value;
    }

    await using var service = new AuditServiceHost(database, SeededKey.Writer(key)) { Settings = settings }.Process();
    await service.StartAsync();

    // Warm-up: until tiered JIT has settled (it takes seconds on 2 busy cores), pools, GC sizing.
    await EndToEndIngest.RunAsync(service.Url, key, Clients, BatchSize, TimeSpan.FromSeconds(20));
    var rates = new List<double>();
    for (var round = 1; round <= rounds; round++)
    {
        rates.Add(await MeasureAsync($"AuditService end to end, {writerConnections} writer connection(s){(rounds > 1 ? $", round {round}" : "")}",
            service.ProcessId, () => EndToEndIngest.RunAsync(service.Url, key, Clients, BatchSize, duration)));
        if (between is not null)
        {
            await between(round);
        }
    }

    // The writer's own view: how big the group commits were and how long they took (warm-up included).
    using var scrape = new HttpClient();
    var metrics = await scrape.GetStringAsync(new Uri(service.Url, "/metrics"));
    foreach (var line in metrics.Split('\n').Where(l => l.StartsWith("audit_ingest_", StringComparison.Ordinal) && (l.Contains("_sum") || l.Contains("_count"))))
    {
        Console.WriteLine($"  {writerConnections} writer(s): {line}");
    }

    await service.KillAsync(); // the next way gets the machine's cores to itself
    return rates;
}

var oneWriter = (await EndToEndAsync(1, 1))[0];
var copies = new List<double>();
var ledgerCopies = new List<double>();
var endToEnds = await EndToEndAsync(2, rounds, async round =>
{
    copies.Add(await CopyAsync($"Raw binary COPY, round {round}"));
    ledgerCopies.Add(await CopyAsync($"Raw binary COPY with the id ledger, round {round}", withIdLedger: true));
});
static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
var endToEnd = Median(endToEnds);
var copy = Median(copies);
var naive = await MeasureAsync("One INSERT per event", null, () => NaiveInsert.RunAsync(database.Admin, Clients, duration));

Console.WriteLine();
Console.WriteLine("| Round | End to end, 2 writer connections, events/s | Raw binary COPY, rows/s | Share of raw COPY | Raw COPY with the id ledger, rows/s | Share of it |");
Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: |");
for (var r = 0; r < rounds; r++)
{
    Console.WriteLine($"| {r + 1} | {endToEnds[r]:N0} | {copies[r]:N0} | {endToEnds[r] / copies[r]:P0} | {ledgerCopies[r]:N0} | {endToEnds[r] / ledgerCopies[r]:P0} |");
}

Console.WriteLine($"Share of raw COPY, median of the rounds: {Median(endToEnds.Select((e, r) => e / copies[r]).ToList()):P0}");
Console.WriteLine($"Share of raw COPY with the id ledger, median of the rounds: {Median(endToEnds.Select((e, r) => e / ledgerCopies[r]).ToList()):P0}");
Console.WriteLine();
Console.WriteLine($"Medians over the rounds ({rounds}); the one-writer and naive ways ran once:");
Console.WriteLine("| Way | Events/s | vs raw COPY | vs naive |");
Console.WriteLine("| --- | ---: | ---: | ---: |");
void Row(string way, double rate) => Console.WriteLine($"| {way} | {rate:N0} | {rate / copy:P0} | {rate / naive:N1}x |");
Row("AuditService end to end, 1 writer connection", oneWriter);
Row("AuditService end to end, 2 writer connections (default)", endToEnd);
Row("Raw binary COPY, same rows, same table", copy);
Row("One INSERT per event", naive);

Console.WriteLine();
Console.WriteLine("CPU per event, µs (user + system; bench = the load generator or the raw writers, which run in this process):");
Console.WriteLine("| Way | bench | AuditService | PostgreSQL | total | WAL bytes per event | checkpoints in the window |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
foreach (var (way, c, walPerEvent, checkpoints) in costs)
{
    Console.WriteLine($"| {way} | {c.Bench:N1} | {c.Service:N1} | {c.Postgres:N1} | {c.Bench + c.Service + c.Postgres:N1} | {walPerEvent:N0} | {checkpoints} |");
}

Console.WriteLine();
await PrintSplitAsync("after the windows");
