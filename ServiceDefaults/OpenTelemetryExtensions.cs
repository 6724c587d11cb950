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
            // The orchestrator's service.instance.id (OTEL_RESOURCE_ATTRIBUTES) is kept: the Aspire dashboard matches
            // telemetry to its resources (and each replica) by it. Elsewhere every process gets one of its own.
            .ConfigureResource(r => r.AddService(serviceName,
                autoGenerateServiceInstanceId: builder.Configuration["OTEL_RESOURCE_ATTRIBUTES"]?.Contains("service.instance.id=", StringComparison.Ordinal) != true))
            .WithMetrics(metrics => metrics
                // A measurement taken inside a sampled span keeps that span's id as an exemplar, so a latency point on
                // a Grafana panel opens the trace behind it (Prometheus scrapes them in the OpenMetrics format).
                .SetExemplarFilter(ExemplarFilterType.TraceBased)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
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
                .AddHttpClientInstrumentation(o => o.RecordException = true));

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
        // Each signal goes where its variable points; the shared OTEL_EXPORTER_OTLP_ENDPOINT covers the signals
        // that have no variable of their own; Telemetry:Exporters adds backends beside them.
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

        foreach (var extra in otlp.Additional)
        {
            _ = extra.Signal switch
            {
                "traces" => telemetry.WithTracing(t => t.AddOtlpExporter(extra.Name, o => extra.Target.Apply(o))),
                "logs" => telemetry.WithLogging(l => l.AddOtlpExporter(extra.Name, o => extra.Target.Apply(o))),
                "metrics" => telemetry.WithMetrics(m => m.AddOtlpExporter(extra.Name, o => extra.Target.Apply(o))),
                _ => throw new InvalidOperationException($"Telemetry:Exporters:{extra.Name}:Signal must be traces, logs or metrics, not '{extra.Signal}'."),
            };
        }

        return builder;
    }
}
