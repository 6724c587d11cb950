using AppHost;
using AppHost.Hosting;
using AppHost.Traffic;

var builder = DistributedApplicationBuilder.CreateBuilder(args);

// Infrastructure
var postgres = builder.AddPostgres("postgres", port: 55432);
var appDb = postgres.AddDatabase("appdb");
var auditDb = postgres.AddDatabase("auditdb");

var prometheus = builder.AddPrometheus("prometheus", port: 9090);
var tempo = builder.AddTempo("tempo");
var loki = builder.AddLoki("loki");
var grafana = builder.AddGrafana("grafana").WaitFor(prometheus).WaitFor(loki).WaitFor(tempo);

// Secrets shared between services, generated on first run
var apiAuditKey = builder.AddApiKey("api-audit-key");
// A platform read key for operators and scripts (the Dashboard reads with each user's own token).
var opsAuditKey = builder.AddApiKey("ops-audit-read-key");
var auditSigningKey = builder.AddSecret("audit-signing-key");
// Alertmanager presents it to the Api's alert webhook (alertmanager/alertmanager.yml).
var alertWebhookSecret = builder.AddSecret("alert-webhook-secret");

// Services
var auditService = builder.AddProject("auditservice", "AuditService", port: 5102)
    .WithReference(auditDb).WaitFor(auditDb)
    .WithReference(tempo).WithReference(loki).WaitFor(tempo).WaitFor(loki)
    .WithSeededApiKey("api", apiAuditKey, "events:write")
    .WithSeededApiKey("operations", opsAuditKey, "events:read")
    .WithEnvironment("Integrity__SigningKey", auditSigningKey)
    // Trace and log links point at Grafana, which the AppHost starts when it is installed.
    .WithEnvironment("Grafana__BaseUrl", grafana.Resource.Endpoint);

var api = builder.AddProject("api", "Api", port: 5101)
    .WithReference(appDb).WaitFor(appDb)
    .WithReference(auditService).WaitFor(auditService)
    .WithReference(tempo).WithReference(loki)
    .WithEnvironment("AuditClient__ApiKey", apiAuditKey)
    .WithEnvironment("AlertWebhook__Secret", alertWebhookSecret)
    .WithEnvironment("AuditClient__SpillDirectory", Path.Combine(builder.Context.DataDirectory, "api", "audit-spill"))
    .WithSeededUser("admin@platform.local", "Platform Admin", "super_admin")
    .WithSeededTenant("acme", "Acme", "pro").WithSeededTenant("globex", "Globex", "team")
    .WithSeededUser("admin@acme.local", "Acme Admin", "tenant_admin", "acme")
    .WithSeededUser("member@acme.local", "Acme Member", "member", "acme")
    .WithSeededUser("admin@globex.local", "Globex Admin", "tenant_admin", "globex")
    .WithSeededUser("member@globex.local", "Globex Member", "member", "globex")
    .WithSeededUser("support@platform.local", "Platform Support", "support", null, "acme", "globex");

// AuditService validates the Api's tokens with its JWKS, fetched on first use (the Api starts after it).
auditService.WithReference(api);

var dashboard = builder.AddProject("dashboard", "Dashboard", port: 5100)
    .WithReference(api).WithReference(auditService).WaitFor(api)
    .WithReference(tempo).WithReference(loki).WithReference(grafana).WaitFor(grafana)
    .WithEnvironment("Dashboard__GrafanaBaseUrl", grafana.Resource.Endpoint);

// Local traffic so every dashboard shows data within a minute (--AppHost:TrafficGenerator=false to turn off)
builder.AddTrafficGenerator("traffic", api);

prometheus.WithScrapeTargets(auditService, api, dashboard);

builder.Build().Run();
