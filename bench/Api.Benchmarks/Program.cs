using System.Globalization;
using System.Net.Http.Json;
using Api.Benchmarks;
using Audit.Contracts;
using Testing;

// Api request throughput, configurations side by side in one run on one machine (docs/benchmarks.md):
// - by default this build with full telemetry and auditing on, and with both off ("Api request overhead");
// - with --builds=label=path/to/Api.dll[,label=path...] this build beside other builds of the Api, and with --rls-off
//   beside itself over a database whose row-level security is disabled, all with telemetry and auditing off
//   (--telemetry: on); e.g. the commit before row-level security ("Cost of row-level security in appdb").
// The first configuration is divided by each other one. Every Api runs from a Release build output over a database
// of its own. --seconds=N is one slice, --rounds=N the slices per configuration and request.
var seconds = int.Parse(Arg("--seconds") ?? "3", CultureInfo.InvariantCulture);
var rounds = int.Parse(Arg("--rounds") ?? "10", CultureInfo.InvariantCulture);
// Before its slices, each request runs this long against each Api unmeasured: a profile of the first runs showed a third
// of the instrumented Api's CPU in the JIT's tiered compilation, still promoting methods minutes after start.
var warmup = int.Parse(Arg("--warmup") ?? "20", CultureInfo.InvariantCulture);
var telemetry = args.Contains("--telemetry");
var others = (Arg("--builds")?.Split(',') ?? []).Select(b => b.Split('=', 2)).Select(b => new ApiConfiguration(b[0], b[1], telemetry)).ToList();
if (args.Contains("--rls-off"))
{
    others.Insert(0, new ApiConfiguration("this build, RLS disabled", "Api", telemetry, DisableRls: true));
}

var configurations = others.Count > 0
    ? [new ApiConfiguration("this build", "Api", telemetry), .. others]
    : new[] { new ApiConfiguration("telemetry + audit on", "Api", true), new ApiConfiguration("both off", "Api", false) };
const int Workers = 16;
const string Password = "benchmark-password";
var auditKey = ApiKeyFormat.New();

var postgres = new PostgresServer();
await postgres.InitializeAsync();
var (sink, sinkUrl) = await OtlpSink.StartAsync();
var running = new List<ServiceProcess>();
try
{
    var audit = await StartServiceAsync("AuditService", await AuditServiceEnvironmentAsync());
    var apis = new List<(ApiConfiguration Configuration, Uri Url, string Token, Guid Tenant, int Pid)>();
    foreach (var configuration in configurations)
    {
        var database = await postgres.CreateDatabaseAsync("bench_api");
        var api = await StartServiceAsync(configuration.Project, ApiEnvironment(database, audit, configuration.Telemetry));
        if (configuration.DisableRls)
        {
            await DisableRowLevelSecurityAsync(database);
        }

        using var anonymous = new HttpClient();
        var signIn = await anonymous.SignInAsync("admin@acme.bench", Password, api.Url);
        apis.Add((configuration, api.Url, signIn.AccessToken, signIn.User.TenantId!.Value, api.ProcessId));
    }

    Console.WriteLine($"pids: {string.Join(", ", apis.Select(a => $"{a.Configuration.Label} {a.Pid}"))}, AuditService {audit.ProcessId}");
    Console.WriteLine($"load average before: {(await File.ReadAllTextAsync("/proc/loadavg")).Trim()}");
    var cpuTable = new List<string>();

    var first = apis[0].Configuration.Label;
    // Beside each ratio, the median of the rounds' own ratios: on a shared machine a burst of someone else's load can
    // land on one slice.
    Console.WriteLine($"| request | {string.Join(" | ", apis.Select(a => $"{a.Configuration.Label} (req/s)"))} | "
        + $"{string.Join(" | ", apis.Skip(1).Select(a => $"{first} / {a.Configuration.Label} (median round)"))} |");
    Console.WriteLine($"| --- |{string.Concat(Enumerable.Repeat(" ---: |", apis.Count * 2 - 1))}");
    var scenarios = new (string Name, Func<HttpClient, Guid, Task<HttpResponseMessage>> Send)[]
    {
        ("GET /api/tenants/{id}", (http, tenant) => http.GetAsync($"/api/tenants/{tenant}")),
        ("PUT /api/tenants/{id}/settings (audited write)", (http, tenant) =>
            http.PutAsJsonAsync($"/api/tenants/{tenant}/settings", new { timezone = "Europe/Berlin", storeOutputPreviews = Random.Shared.Next(2) == 0 })),
    };
    foreach (var (name, send) in scenarios)
    {
        // The configurations take turns in short slices, each going first in turn, so warm-up, database drift and
        // whatever else the machine is doing weigh on all alike.
        var totals = new double[apis.Count];
        var perRound = apis.Select(_ => new List<double>()).ToArray();
        var cpu = apis.Select(_ => new CpuShare()).ToArray();
        foreach (var (_, url, token, tenant, _) in apis)
        {
            await LoadRun.WarmUpAsync(url, token, http => send(http, tenant), Workers, TimeSpan.FromSeconds(warmup));
        }

        for (var slice = 0; slice < rounds; slice++)
        {
            for (var turn = 0; turn < apis.Count; turn++)
            {
                var i = (slice + turn) % apis.Count;
                var (_, url, token, tenant, pid) = apis[i];
                // Slices run one at a time, so what AuditService and PostgreSQL spend during a slice is that configuration's.
                var (rps, completed) = await LoadRun.MeasureAsync(url, token, http => send(http, tenant), Workers, TimeSpan.FromSeconds(1),
                    TimeSpan.FromSeconds(seconds), () => cpu[i].Sample(ProcessCpu.Seconds(pid), ProcessCpu.Seconds(audit.ProcessId),
                        ProcessCpu.PostgresSeconds(postgres.Cluster.DataDirectory), ProcessCpu.Seconds(Environment.ProcessId)));
                cpu[i].Requests += completed;
                totals[i] += rps;
                perRound[i].Add(rps);
            }
        }

        string Median(int i) => perRound[0].Zip(perRound[i], (a, b) => a / b).Order().ElementAt(rounds / 2).ToString("P1", CultureInfo.InvariantCulture);
        Console.WriteLine($"| {name} | {string.Join(" | ", totals.Select(t => (t / rounds).ToString("N0", CultureInfo.InvariantCulture)))} | "
            + $"{string.Join(" | ", Enumerable.Range(1, apis.Count - 1).Select(i => $"{(totals[0] / totals[i]).ToString("P1", CultureInfo.InvariantCulture)} ({Median(i)})"))} |");
        cpuTable.AddRange(apis.Select((a, i) => $"| {name} | {a.Configuration.Label} | {cpu[i]} |"));
    }

    Console.WriteLine();
    Console.WriteLine("CPU per request (ms), measured slices only:");
    Console.WriteLine("| request | configuration | Api | AuditService | PostgreSQL | load generator | total |");
    Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
    cpuTable.ForEach(Console.WriteLine);
    Console.WriteLine($"load average after: {(await File.ReadAllTextAsync("/proc/loadavg")).Trim()}");

}
finally
{
    await sink.StopAsync();
    foreach (var service in running)
    {
        await service.DisposeAsync();
    }

    await postgres.DisposeAsync();
}

async Task<Dictionary<string, string>> AuditServiceEnvironmentAsync()
{
    var auditDb = await postgres.CreateDatabaseAsync("bench_audit");
    return new AuditServiceHost(auditDb, SeededKey.Writer(auditKey))
    {
        Settings = new Dictionary<string, string> { ["OTEL_SDK_DISABLED"] = "true" },
    }.Environment();
}

Dictionary<string, string> ApiEnvironment(TestDatabase appDb, ServiceProcess audit, bool on)
{
    var env = new Dictionary<string, string>
    {
        // Every build prepares statements alike (older builds of the Api did not set Max Auto Prepare themselves), so
        // builds differ only in what they do per request.
        ["ConnectionStrings__appdb"] = $"{appDb.App};Max Auto Prepare=64;Auto Prepare Min Usages=2",
        ["ConnectionStrings__appdb-owner"] = appDb.Owner,
        ["Seed__Tenants__0__Slug"] = "acme",
        ["Seed__Tenants__0__Plan"] = "pro",
        ["Seed__Users__0__Email"] = "admin@acme.bench",
        ["Seed__Users__0__Password"] = Password,
        ["Seed__Users__0__Role"] = "tenant_admin",
        ["Seed__Users__0__Tenant"] = "acme",
        ["AuditClient__Endpoint"] = audit.Url.ToString(),
        ["AuditClient__ApiKey"] = auditKey,
        ["AlertWebhook__Secret"] = "benchmark-alert-webhook-secret-0123456789",
    };
    // BENCH_API_<Key>=<value> gives every Api a setting (e.g. BENCH_API_AuditClient__BatchDelay=00:00:00), for A/B runs.
    foreach (var (key, value) in BenchSettings.WithPrefix("BENCH_API_"))
    {
        env[key] = value;
    }

    if (Environment.GetEnvironmentVariable("BENCH_PERF_MAP") == "1")
    {
        // perf resolves JIT-compiled frames from /tmp/perf-<pid>.map, which it can only match to code that is not
        // double-mapped for W^X (see docs/benchmarks.md, "Profiling").
        env["DOTNET_PerfMapEnabled"] = "1";
        env["DOTNET_EnableWriteXorExecute"] = "0";
    }

    if (on)
    {
        env["OTEL_EXPORTER_OTLP_ENDPOINT"] = sinkUrl.ToString();
        env["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        env["OTEL_TRACES_SAMPLER"] = "always_on";
        env["OTEL_SERVICE_NAME"] = "api";
    }
    else
    {
        env["OTEL_SDK_DISABLED"] = "true";
        env["AuditClient__Enabled"] = "false";
    }

    return env;
}

async Task<ServiceProcess> StartServiceAsync(string project, Dictionary<string, string> environment)
{
    var service = new ServiceProcess(project, environment);
    running.Add(service);
    await service.StartAsync();
    return service;
}

// The same build and schema, with the policies off: what row-level security itself costs (the scope is still sent).
async Task DisableRowLevelSecurityAsync(TestDatabase database)
{
    await using var connection = new Npgsql.NpgsqlConnection(database.Owner);
    await connection.OpenAsync();
    await using var command = new Npgsql.NpgsqlCommand(
        """
        DO $$
        DECLARE t text;
        BEGIN
            FOR t IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname = 'public' AND c.relrowsecurity LOOP
                EXECUTE format('ALTER TABLE %I NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY', t);
            END LOOP;
        END
        $$
        """, connection);
    await command.ExecuteNonQueryAsync();
}

string? Arg(string name) => args.FirstOrDefault(a => a.StartsWith($"{name}=", StringComparison.Ordinal))?.Split('=', 2)[1];

/// <summary>One Api process of the comparison: a project of this repository or another build's dll.</summary>
internal sealed record ApiConfiguration(string Label, string Project, bool Telemetry, bool DisableRls = false);

/// <summary>CPU seconds each process spent over a configuration's measured slices (samples come in start/end pairs).</summary>
internal sealed class CpuShare
{
    private readonly double[] _spent = new double[4];
    private double[]? _start;

    public long Requests { get; set; }

    public void Sample(params double[] seconds)
    {
        if (_start is null)
        {
            _start = seconds;
            return;
        }

        for (var i = 0; i < _spent.Length; i++)
        {
            _spent[i] += seconds[i] - _start[i];
        }

        _start = null;
    }

    public override string ToString() =>
        string.Join(" | ", _spent.Append(_spent.Sum()).Select(s => (s * 1000 / Math.Max(1, Requests)).ToString("F3", CultureInfo.InvariantCulture)));
}
