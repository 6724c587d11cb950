using AuditService.ApiKeys;
using AuditService.Ingestion;
using AuditService.Export;
using AuditService.Integrity;
using AuditService.Queries;
using AuditService.Retention;
using AuditService.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.UseAuthentication();
app.UseAuthorization();
app.MapEventsApi();
app.MapQueriesApi();
app.MapExportApi();
app.MapIntegrityApi();
app.MapApiKeysApi();
app.MapRetentionApi();

app.Run();

public partial class Program;
