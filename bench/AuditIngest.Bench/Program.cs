using AuditIngest.Bench;
using Testing;

// Ingest rate, in one run, against one throwaway PostgreSQL cluster and one audit_events table: end to end over
// HTTP with the durability contract (with one writer connection, then with the default two), raw binary COPY
// (the limit), and one INSERT per event (the naive way).
var seconds = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 10;
const int Clients = 16;
const int BatchSize = 100;
const string Key = "audk_0123456789ab_platform-write-key-for-benchmarks-000000";
var duration = TimeSpan.FromSeconds(seconds);

var postgres = new PostgresServer();
await postgres.InitializeAsync();
await using var _ = postgres;
var database = await postgres.CreateDatabaseAsync("bench");
Console.WriteLine($"{Environment.ProcessorCount} cores, {seconds} s per way, {Clients} clients, batches of {BatchSize}");

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

async Task<double> EndToEndAsync(int writerConnections)
{
    var settings = new Dictionary<string, string>
    {
        ["Ingest__EventsPerSecondPerKey"] = "10000000",
        ["Ingest__WriterConnections"] = writerConnections.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
    if (Environment.GetEnvironmentVariable("BENCH_AUTO_PREPARE") is { } prepare)
    {
        // Npgsql's Max Auto Prepare for the service (0 = plan every statement every time, as before plan caching).
        settings["ConnectionStrings__auditdb"] = $"{database.App};Max Auto Prepare={prepare}";
    }

    await using var service = AuditServiceProcess.Create(database, Key, settings);
    await service.StartAsync();

    // Warm-up: until tiered JIT has settled (it takes seconds on 2 busy cores), pools, GC sizing.
    await EndToEndIngest.RunAsync(service.Url, Key, Clients, BatchSize, TimeSpan.FromSeconds(20));
    var rate = await MeasureAsync($"AuditService end to end, {writerConnections} writer connection(s)", service.ProcessId,
        () => EndToEndIngest.RunAsync(service.Url, Key, Clients, BatchSize, duration));

    // The writer's own view: how big the group commits were and how long they took (warm-up included).
    using var scrape = new HttpClient();
    var metrics = await scrape.GetStringAsync(new Uri(service.Url, "/metrics"));
    foreach (var line in metrics.Split('\n').Where(l => l.StartsWith("audit_ingest_", StringComparison.Ordinal) && (l.Contains("_sum") || l.Contains("_count"))))
    {
        Console.WriteLine($"  {writerConnections} writer(s): {line}");
    }

    await service.KillAsync(); // the next way gets the machine's cores to itself
    return rate;
}

var oneWriter = await EndToEndAsync(1);
var endToEnd = await EndToEndAsync(2);
var copy = await MeasureAsync("Raw binary COPY", null, () => RawCopy.RunAsync(database.Admin, connections: 2, batchSize: 1000, duration));
var naive = await MeasureAsync("One INSERT per event", null, () => NaiveInsert.RunAsync(database.Admin, Clients, duration));

Console.WriteLine();
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
