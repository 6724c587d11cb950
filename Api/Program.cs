using Api.Extensions;
using Api.Feedback;
using Api.Identity;
using Api.Tenants;

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
app.MapFeedbackApi();

app.Run();

public partial class Program;
