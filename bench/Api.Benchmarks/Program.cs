using System.Globalization;
using System.Net.Http.Json;
using Api.Benchmarks;
using Testing;

// Api request overhead: the same authenticated requests against the Api with full telemetry and auditing
// on, and with both off, side by side in one run on one machine. See docs/benchmarks.md.
// --seconds=N is one slice, --rounds=N the slices per configuration and request.
var seconds = int.Parse(args.FirstOrDefault(a => a.StartsWith("--seconds=", StringComparison.Ordinal))?.Split('=')[1] ?? "3", CultureInfo.InvariantCulture);
var rounds = int.Parse(args.FirstOrDefault(a => a.StartsWith("--rounds=", StringComparison.Ordinal))?.Split('=')[1] ?? "10", CultureInfo.InvariantCulture);
// Before its slices, each request runs this long against each Api unmeasured: a profile of the first runs showed a third
// of the instrumented Api's CPU in the JIT's tiered compilation, still promoting methods minutes after start.
var warmup = int.Parse(args.FirstOrDefault(a => a.StartsWith("--warmup=", StringComparison.Ordinal))?.Split('=')[1] ?? "20", CultureInfo.InvariantCulture);
const int Workers = 16;
const string Password = "benchmark-password";
const string AuditKey = "audk_0123456789ab_api-benchmark-write-key-000000000000000";

var postgres = new PostgresServer();
await postgres.InitializeAsync();
try
{
    var appDb = await postgres.CreateDatabaseAsync("bench_api");
    var auditDb = await postgres.CreateDatabaseAsync("bench_audit");
    var (sink, sinkUrl) = await OtlpSink.StartAsync();
    await using var audit = await StartServiceAsync("AuditService", new Dictionary<string, string>
    {
        ["ConnectionStrings__auditdb"] = auditDb.App,
        ["ConnectionStrings__auditdb-owner"] = auditDb.Owner,
        ["ApiKeys__Seed__0__Name"] = "api",
        ["ApiKeys__Seed__0__Key"] = AuditKey,
        ["Integrity__SigningKey"] = "benchmark-signing-key-0123456789abcdef",
        ["ApiKeys__Seed__0__Scope"] = "platform",
        ["ApiKeys__Seed__0__Permissions__0"] = "events:write",
        ["OTEL_SDK_DISABLED"] = "true",
    });

    Dictionary<string, string> ApiEnvironment(bool on)
    {
        var env = new Dictionary<string, string>
        {
            ["ConnectionStrings__appdb"] = appDb.App,
            ["ConnectionStrings__appdb-owner"] = appDb.Owner,
            ["Seed__Tenants__0__Slug"] = "acme",
            ["Seed__Tenants__0__Plan"] = "pro",
            ["Seed__Users__0__Email"] = "admin@acme.bench",
            ["Seed__Users__0__Password"] = Password,
            ["Seed__Users__0__Role"] = "tenant_admin",
            ["Seed__Users__0__Tenant"] = "acme",
            ["AuditClient__Endpoint"] = audit.Url.ToString(),
            ["AuditClient__ApiKey"] = AuditKey,
            ["AlertWebhook__Secret"] = "benchmark-alert-webhook-secret-0123456789",
        };
        // BENCH_API_<Key>=<value> gives both Apis a setting (e.g. BENCH_API_AuditClient__BatchDelay=00:00:00), for A/B runs.
        foreach (var (key, value) in Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .Select(e => ((string)e.Key, (string?)e.Value ?? "")).Where(e => e.Item1.StartsWith("BENCH_API_", StringComparison.Ordinal)))
        {
            env[key["BENCH_API_".Length..]] = value;
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

    var scenarios = new (string Name, Func<HttpClient, Guid, Task<HttpResponseMessage>> Send)[]
    {
        ("GET /api/tenants/{id}", (http, tenant) => http.GetAsync($"/api/tenants/{tenant}")),
        ("PUT /api/tenants/{id}/settings (audited write)", (http, tenant) =>
            http.PutAsJsonAsync($"/api/tenants/{tenant}/settings", new { timezone = "Europe/Berlin", storeOutputPreviews = Random.Shared.Next(2) == 0 })),
    };
    // Both configurations run side by side and take turns in short slices, so warm-up, database drift and
    // whatever else the machine is doing weigh on both alike.
    await using var apiOn = await StartServiceAsync("Api", ApiEnvironment(on: true));
    await using var apiOff = await StartServiceAsync("Api", ApiEnvironment(on: false));
    Console.WriteLine($"Api (on) pid {apiOn.ProcessId}, Api (off) pid {apiOff.ProcessId}, AuditService pid {audit.ProcessId}");
    var on = await LoadRun.SignInAsync(apiOn.Url, "admin@acme.bench", Password);
    var off = await LoadRun.SignInAsync(apiOff.Url, "admin@acme.bench", Password);
    Console.WriteLine($"load average before: {(await File.ReadAllTextAsync("/proc/loadavg")).Trim()}");
    var cpuTable = new List<string>();
    Console.WriteLine($"| request | telemetry + audit on (req/s) | both off (req/s) | on / off | median of the rounds' on / off |");
    Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
    foreach (var (name, send) in scenarios)
    {
        double onTotal = 0, offTotal = 0;
        var pairs = new List<double>();
        var cpu = new Dictionary<bool, CpuShare> { [true] = new(), [false] = new() };
        foreach (var (url, session) in new[] { (apiOn.Url, on), (apiOff.Url, off) })
        {
            await LoadRun.WarmUpAsync(url, session.Token, http => send(http, session.Tenant), Workers, TimeSpan.FromSeconds(warmup));
        }

        for (var slice = 0; slice < rounds; slice++)
        {
            double onSlice = 0, offSlice = 0;
            foreach (var first in slice % 2 == 0 ? new[] { true, false } : [false, true])
            {
                var (url, session) = first ? (apiOn.Url, on) : (apiOff.Url, off);
                var api = first ? apiOn : apiOff;
                // Slices run one at a time, so what AuditService and PostgreSQL spend during a slice is that configuration's.
                var (rps, completed) = await LoadRun.MeasureAsync(url, session.Token, http => send(http, session.Tenant), Workers,
                    TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(seconds),
                    () => cpu[first].Sample(ProcessCpu.Seconds(api.ProcessId), ProcessCpu.Seconds(audit.ProcessId),
                        ProcessCpu.PostgresSeconds(postgres.Cluster.DataDirectory), ProcessCpu.Seconds(Environment.ProcessId)));
                cpu[first].Requests += completed;
                if (first) { onTotal += rps; onSlice = rps; } else { offTotal += rps; offSlice = rps; }
            }

            pairs.Add(onSlice / offSlice);
        }

        // The median of the rounds' ratios is less moved by a burst of someone else's load landing on one slice.
        var median = pairs.Order().ElementAt(pairs.Count / 2);
        Console.WriteLine($"| {name} | {onTotal / rounds:F0} | {offTotal / rounds:F0} | {onTotal / offTotal:P1} | {median:P1} |");
        cpuTable.Add($"| {name} | on | {cpu[true]} |");
        cpuTable.Add($"| {name} | off | {cpu[false]} |");
    }

    Console.WriteLine();
    Console.WriteLine("CPU per request (ms), measured slices only:");
    Console.WriteLine("| request | config | Api | AuditService | PostgreSQL | load generator | total |");
    Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
    cpuTable.ForEach(Console.WriteLine);
    Console.WriteLine($"load average after: {(await File.ReadAllTextAsync("/proc/loadavg")).Trim()}");

    await sink.StopAsync();
}
finally
{
    await postgres.DisposeAsync();
}

static async Task<ServiceProcess> StartServiceAsync(string project, Dictionary<string, string> environment)
{
    var service = new ServiceProcess(project, environment);
    await service.StartAsync();
    return service;
}

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
