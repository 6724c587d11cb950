using Api.Contracts;
using AppHost.Observability;
using AppHost.Postgres;
using AppHost.Seeding;
using AppHost.Traffic;
using AppHost;
using Audit.Contracts;

var builder = DistributedApplication.CreateBuilder(args);

// Infrastructure
var postgres = builder.AddPlatformPostgres("postgres", port: 55432);
var appDb = postgres.AddAppDatabase("appdb");
var auditDb = postgres.AddAppDatabase("auditdb");
var postgresExporter = postgres.AddPostgresExporter("postgres-exporter", port: 9187);

var prometheus = builder.AddPrometheus("prometheus", port: 9090);
var tempo = builder.AddTempo("tempo");
var loki = builder.AddLoki("loki");
var grafana = builder.AddGrafana("grafana", prometheus, loki, tempo);

// Secrets shared between services: generated on first run, kept in the AppHost's user secrets
var apiAuditKey = builder.AddApiKey("api-audit-key");
var opsAuditKey = builder.AddApiKey("ops-audit-read-key");
var auditSigningKey = builder.AddSecret("audit-signing-key");
// The Dashboard's proof to the Api that a forwarded client address is its own (see Api/Identity/ForwardedFor.cs).
var proxySecret = builder.AddSecret("api-proxy-secret");
// Alertmanager presents it to the Api's alert webhook (alertmanager/alertmanager.yml).
var alertWebhookSecret = builder.AddSecret("alert-webhook-secret");

// Services
var auditService = builder.AddProject<Projects.AuditService>(ServiceNames.AuditService)
    .WithLocalPort(5102).WithHttpHealthCheck("/health")
    .WithReplicas(builder.Configuration.GetValue("AppHost:AuditServiceReplicas", 1))
    .WithDatabase(auditDb)
    .WithSeededApiKey(ServiceNames.Api, apiAuditKey, ApiKeyPermissions.Write)
    .WithSeededApiKey("operations", opsAuditKey, ApiKeyPermissions.Read)
    .WithEnvironment("Integrity__SigningKey", auditSigningKey)
    .WithTelemetryBackends(tempo, loki)
    .WithTraceViewer(grafana);

var api = builder.AddProject<Projects.Api>(ServiceNames.Api)
    .WithLocalPort(5101).WithHttpHealthCheck("/health")
    .WithDatabase(appDb)
    .WithReference(auditService).WaitFor(auditService)
    .WithEnvironment("AuditClient__ApiKey", apiAuditKey)
    .WithEnvironment("AlertWebhook__Secret", alertWebhookSecret)
    .WithEnvironment("AuditClient__SpillDirectory", Path.Combine(builder.DataDirectory(), ServiceNames.Api, "audit-spill"))
    .WithEnvironment("ForwardedFor__ProxySecret", proxySecret)
    .WithTelemetryBackends(tempo, loki)
    .WithSeededUser("admin@platform.local", "Platform Admin", Roles.SuperAdmin)
    .WithSeededTenant("acme", "Acme", "pro").WithSeededTenant("globex", "Globex", "team")
    .WithSeededUser("admin@acme.local", "Acme Admin", Roles.TenantAdmin, "acme")
    .WithSeededUser("member@acme.local", "Acme Member", Roles.Member, "acme")
    .WithSeededUser("admin@globex.local", "Globex Admin", Roles.TenantAdmin, "globex")
    .WithSeededUser("member@globex.local", "Globex Member", Roles.Member, "globex")
    .WithSeededUser("support@platform.local", "Platform Support", Roles.Support, null, "acme", "globex");

// AuditService validates the Api's tokens with its JWKS, fetched on first use (the Api starts after it).
auditService.WithReference(api);

var dashboard = builder.AddProject<Projects.Dashboard>(ServiceNames.Dashboard)
    .WithLocalPort(5100).WithHttpHealthCheck("/health")
    .WithReference(api).WithReference(auditService).WaitFor(api)
    .WithEnvironment("Dashboard__ProxySecret", proxySecret)
    .WithTelemetryBackends(tempo, loki)
    .WithTraceViewer(grafana);

// Traffic so every page and panel has data within a minute; Globex's activities wait for a person to approve them.
builder.AddTrafficGenerator("traffic", api, manualTenant: "globex");

// Prometheus's alerts reach people: Alertmanager routes them to the Api, which notifies and audits.
var alertmanager = builder.AddAlertmanager("alertmanager", port: 9093, api, alertWebhookSecret);
prometheus.WithScrapeTargets(auditService, api, dashboard, postgresExporter).WithAlertmanager(alertmanager);
builder.AddStartupSummary(api, manualTenant: "globex", dashboard, api, auditService, prometheus, alertmanager, postgresExporter, grafana, tempo, loki);

builder.Build().Run();

// Internal, so that test projects referencing both this AppHost and a service see one Program.
internal sealed partial class Program;
