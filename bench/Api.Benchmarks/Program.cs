using System.Globalization;
using System.Net.Http.Json;
using Api.Benchmarks;
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
const string AuditKey = "audk_0123456789ab_api-benchmark-write-key-000000000000000";

var postgres = new PostgresServer();
await postgres.InitializeAsync();
var (sink, sinkUrl) = await OtlpSink.StartAsync();
var running = new List<ServiceProcess>();
try
{
    var audit = await StartServiceAsync("AuditService", await AuditServiceEnvironmentAsync());
    var apis = new List<(ApiConfiguration Configuration, Uri Url, string Token, Guid Tenant)>();
    foreach (var configuration in configurations)
    {
        var database = await postgres.CreateDatabaseAsync("bench_api");
        var api = await StartServiceAsync(configuration.Project, ApiEnvironment(database, audit, configuration.Telemetry));
        if (configuration.DisableRls)
        {
            await DisableRowLevelSecurityAsync(database);
        }

        var (token, tenant) = await LoadRun.SignInAsync(api.Url, "admin@acme.bench", Password);
        apis.Add((configuration, api.Url, token, tenant));
    }

    var first = apis[0].Configuration.Label;
    Console.WriteLine($"| request | {string.Join(" | ", apis.Select(a => $"{a.Configuration.Label} (req/s)"))} | "
        + $"{string.Join(" | ", apis.Skip(1).Select(a => $"{first} / {a.Configuration.Label}"))} |");
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
        for (var slice = 0; slice < rounds; slice++)
        {
            for (var turn = 0; turn < apis.Count; turn++)
            {
                var i = (slice + turn) % apis.Count;
                var (_, url, token, tenant) = apis[i];
                totals[i] += await LoadRun.MeasureAsync(url, token, http => send(http, tenant), Workers, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(seconds));
            }
        }

        Console.WriteLine($"| {name} | {string.Join(" | ", totals.Select(t => (t / rounds).ToString("N0", CultureInfo.InvariantCulture)))} | "
            + $"{string.Join(" | ", totals.Skip(1).Select(t => (totals[0] / t).ToString("P1", CultureInfo.InvariantCulture)))} |");
    }

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
    return new Dictionary<string, string>
    {
        ["ConnectionStrings__auditdb"] = auditDb.App,
        ["ConnectionStrings__auditdb-owner"] = auditDb.Owner,
        ["ApiKeys__Seed__0__Name"] = "api",
        ["ApiKeys__Seed__0__Key"] = AuditKey,
        ["Integrity__SigningKey"] = "benchmark-signing-key-0123456789abcdef",
        ["ApiKeys__Seed__0__Scope"] = "platform",
        ["ApiKeys__Seed__0__Permissions__0"] = "events:write",
        ["OTEL_SDK_DISABLED"] = "true",
    };
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
        ["AuditClient__ApiKey"] = AuditKey,
    };
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
