using AppHost;
using AppHost.Hosting;

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

// Services
var auditService = builder.AddProject("auditservice", "AuditService", port: 5102)
    .WithReference(auditDb).WaitFor(auditDb)
    .WithReference(tempo).WithReference(loki).WaitFor(tempo).WaitFor(loki)
    .WithSeededApiKey("api", apiAuditKey, "events:write")
    .WithSeededApiKey("operations", opsAuditKey, "events:read");

var api = builder.AddProject("api", "Api", port: 5101)
    .WithReference(appDb).WaitFor(appDb)
    .WithReference(auditService).WaitFor(auditService)
    .WithReference(tempo).WithReference(loki)
    .WithEnvironment("AuditClient__ApiKey", apiAuditKey)
    .WithSeededUser("admin@platform.local", "Platform Admin", "super_admin");

var dashboard = builder.AddProject("dashboard", "Dashboard", port: 5100)
    .WithReference(api).WithReference(auditService).WaitFor(api)
    .WithReference(tempo).WithReference(loki).WithReference(grafana).WaitFor(grafana);

prometheus.WithScrapeTargets(auditService, api, dashboard);

builder.Build().Run();
