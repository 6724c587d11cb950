using AuditService.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

// Authentication and authorization are in the pipeline already: the host adds both when their services are registered.
app.MapDefaultEndpoints();
app.MapAuditServiceApi();

app.Run();

public partial class Program;
