using Microsoft.Extensions.Configuration;
using OpenTelemetry.Exporter;

namespace Microsoft.Extensions.Hosting;

/// <summary>Where each signal is exported over OTLP, read from the standard OTEL_* variables.</summary>
public sealed record OtlpSettings(OtlpTarget? Traces, OtlpTarget? Logs, OtlpTarget? Metrics)
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

        return new OtlpSettings(Signal("TRACES", "/v1/traces"), Signal("LOGS", "/v1/logs"), Signal("METRICS", "/v1/metrics"));
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
