namespace Api.Benchmarks;

/// <summary>A local OTLP/HTTP receiver that accepts and discards, so the exporters do their full work without a collector.</summary>
internal static class OtlpSink
{
    public static async Task<(WebApplication App, Uri Url)> StartAsync()
    {
        var port = Testing.PostgresServer.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapPost("/v1/{signal}", async (HttpRequest request) =>
        {
            await request.Body.CopyToAsync(Stream.Null);
            return Results.Bytes([], "application/x-protobuf");
        });
        await app.StartAsync();
        return (app, new Uri($"http://127.0.0.1:{port}"));
    }
}
