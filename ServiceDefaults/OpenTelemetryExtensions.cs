using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

public static class OpenTelemetryExtensions
{
    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var serviceName = ServiceTelemetry.NameOf(builder);
        builder.Services.AddSingleton(new ServiceTelemetry(serviceName));

        // Console logs carry the trace and span ids too, so a log line can be followed to its trace.
        builder.Logging.Configure(o => o.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName))
            .WithMetrics(metrics => metrics
                // A measurement taken inside a sampled span keeps that span's id as an exemplar, so a latency point on
                // a Grafana panel opens the trace behind it (Prometheus scrapes them in the OpenMetrics format).
                .SetExemplarFilter(ExemplarFilterType.TraceBased)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("Npgsql")
                .AddMeter(serviceName)
                // The audit client library's own meter (queued, sent, spilled, dropped).
                .AddMeter("Audit.Client")
                .AddPrometheusExporter())
            .WithTracing(tracing => tracing
                .AddSource(serviceName)
                // The audit client's batch sends: each continues the trace of the first event it carries and links the rest.
                .AddSource("Audit.Client")
                .AddAspNetCoreInstrumentation(o =>
                {
                    o.Filter = IsTraced;
                    o.RecordException = true;
                })
                .AddHttpClientInstrumentation(o => o.RecordException = true)
                .AddNpgsql());

        builder.AddOpenTelemetryExporters();
        return builder;
    }

    // Health probes and scrapes run every few seconds; tracing them would bury the real traffic.
    private static bool IsTraced(HttpContext context) =>
        !context.Request.Path.StartsWithSegments(Extensions.HealthEndpointPath)
        && !context.Request.Path.StartsWithSegments(Extensions.AlivenessEndpointPath)
        && !context.Request.Path.StartsWithSegments(Extensions.MetricsEndpointPath);

    private static TBuilder AddOpenTelemetryExporters<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // Each signal goes where its variable points (traces to Tempo, logs to Loki's OTLP endpoint);
        // the shared OTEL_EXPORTER_OTLP_ENDPOINT covers the signals that have no variable of their own.
        var otlp = OtlpSettings.From(builder.Configuration);
        var telemetry = builder.Services.AddOpenTelemetry();
        if (otlp.Traces is { } traces)
        {
            telemetry.WithTracing(t => t.AddOtlpExporter(o => traces.Apply(o)));
        }

        if (otlp.Logs is { } logs)
        {
            telemetry.WithLogging(l => l.AddOtlpExporter(o => logs.Apply(o)));
        }

        if (otlp.Metrics is { } metrics)
        {
            telemetry.WithMetrics(m => m.AddOtlpExporter(o => metrics.Apply(o)));
        }

        return builder;
    }
}
