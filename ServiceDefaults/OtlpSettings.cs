using Microsoft.Extensions.Configuration;
using OpenTelemetry.Exporter;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Where each signal is exported over OTLP: read from the standard OTEL_* variables (the Aspire dashboard, set by the
/// AppHost), plus the backends named under Telemetry:Exporters:{name} with an Endpoint and a Signal (Tempo for
/// traces, Loki for logs), so that one backend never starves another of a signal.
/// </summary>
public sealed record OtlpSettings(OtlpTarget? Traces, OtlpTarget? Logs, OtlpTarget? Metrics, IReadOnlyList<NamedOtlpTarget> Additional)
{
    public static OtlpSettings From(IConfiguration configuration)
    {
        var protocol = configuration["OTEL_EXPORTER_OTLP_PROTOCOL"] switch
        {
            "grpc" => OtlpExportProtocol.Grpc,
            _ => OtlpExportProtocol.HttpProtobuf,
        };
        var shared = configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];

        OtlpTarget? Signal(string name, string path)
        {
            // A per-signal endpoint is a full URL; the shared one is a base that gets the signal's path.
            var own = configuration[$"OTEL_EXPORTER_OTLP_{name}_ENDPOINT"];
            if (!string.IsNullOrWhiteSpace(own))
            {
                return new OtlpTarget(new Uri(own), protocol);
            }

            if (string.IsNullOrWhiteSpace(shared))
            {
                return null;
            }

            var baseUri = new Uri(shared);
            return protocol == OtlpExportProtocol.Grpc
                ? new OtlpTarget(baseUri, protocol)
                : new OtlpTarget(new Uri(baseUri, baseUri.AbsolutePath.TrimEnd('/') + path), protocol);
        }

        var additional = configuration.GetSection("Telemetry:Exporters").GetChildren()
            .Where(e => !string.IsNullOrWhiteSpace(e["Endpoint"]))
            .Select(e => new NamedOtlpTarget(e.Key, e["Signal"] ?? "traces", new OtlpTarget(new Uri(e["Endpoint"]!), OtlpExportProtocol.HttpProtobuf)))
            .ToList();
        return new OtlpSettings(Signal("TRACES", "/v1/traces"), Signal("LOGS", "/v1/logs"), Signal("METRICS", "/v1/metrics"), additional);
    }
}

public sealed record OtlpTarget(Uri Endpoint, OtlpExportProtocol Protocol)
{
    public void Apply(OtlpExporterOptions options)
    {
        options.Endpoint = Endpoint;
        options.Protocol = Protocol;
    }
}

/// <summary>A further backend for one signal ("traces", "logs" or "metrics"), its exporter named after it.</summary>
public sealed record NamedOtlpTarget(string Name, string Signal, OtlpTarget Target);
