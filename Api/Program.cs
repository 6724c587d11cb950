using Api.Extensions;
using Api.Identity;
using Api.Pipeline;
using Api.Tenants;
using Api.Usage;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.MapAuthApi();
app.MapTenantsApi();
app.MapPipelineApi();
app.MapUsageApi();

app.Run();

public partial class Program;
