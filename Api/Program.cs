using Api.Alerts;
using Api.Extensions;
using Api.Feedback;
using Api.ApiDescription;
using Api.Members;
using Api.SystemHealth;
using Api.Pipeline;
using Api.Tenants;
using Api.Usage;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseTrustedForwardedFor();
app.UseRequestOutcomeCounter();
app.MapDefaultEndpoints();
app.MapApiDescription();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.MapAuthApi();
app.MapTenantsApi();
app.MapFeedbackApi();
app.MapMembersApi();
app.MapSupportApi();
app.MapSystemHealthApi();
app.MapPipelineApi();
app.MapUsageApi();
app.MapAlertsApi();

app.Run();

public partial class Program;
