using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Trace;

namespace ServiceDefaults.Tests;

/// <summary>A small real service on Kestrel (loopback, free port) with AddServiceDefaults, capturing its spans and logs in memory.</summary>
public sealed class TestService : IAsyncDisposable
{
    private TestService(WebApplication app, List<Activity> spans, List<LogRecord> logs)
    {
        App = app;
        Spans = spans;
        Logs = logs;
    }

    public WebApplication App { get; }
    public List<Activity> Spans { get; }
    public List<LogRecord> Logs { get; }
    public Uri BaseAddress => new(App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    public HttpClient Client => new() { BaseAddress = BaseAddress };

    public static async Task<TestService> StartAsync(Action<WebApplicationBuilder>? configure = null, Action<WebApplication>? map = null,
        Dictionary<string, string?>? settings = null, string environment = "Testing")
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment, ApplicationName = "test-service" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(settings ?? []);
        builder.AddServiceDefaults();
        var spans = new List<Activity>();
        var logs = new List<LogRecord>();
        builder.Services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans));
        builder.Logging.AddOpenTelemetry(o => o.AddInMemoryExporter(logs));
        configure?.Invoke(builder);

        var app = builder.Build();
        app.MapDefaultEndpoints();
        map?.Invoke(app);
        await app.StartAsync();
        return new TestService(app, spans, logs);
    }

    /// <summary>Spans are exported when they end, a moment after the response is written.</summary>
    public async Task<List<Activity>> SpansEventuallyAsync(Func<Activity, bool> match, int atLeast = 1)
    {
        for (var i = 0; i < 50; i++)
        {
            lock (Spans)
            {
                var found = Spans.Where(match).ToList();
                if (found.Count >= atLeast)
                {
                    return found;
                }
            }

            await Task.Delay(100);
        }

        lock (Spans)
        {
            return Spans.Where(match).ToList();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
