using Microsoft.Extensions.Configuration;
using OpenTelemetry.Exporter;

namespace ServiceDefaults.Tests;

public sealed class OtlpSettingsTests
{
    private static OtlpSettings From(params (string Key, string Value)[] values) =>
        OtlpSettings.From(new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build());

    [Fact]
    public void NothingConfiguredMeansNoOtlpExport()
    {
        var settings = From();
        Assert.Null(settings.Traces);
        Assert.Null(settings.Logs);
        Assert.Null(settings.Metrics);
    }

    [Fact]
    public void PerSignalEndpointsSendTracesToTempoAndLogsToLokiAsGiven()
    {
        var settings = From(
            ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://tempo:4318/v1/traces"),
            ("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", "http://loki:3100/otlp/v1/logs"),
            ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"));

        Assert.Equal(new Uri("http://tempo:4318/v1/traces"), settings.Traces!.Endpoint);
        Assert.Equal(new Uri("http://loki:3100/otlp/v1/logs"), settings.Logs!.Endpoint);
        Assert.Null(settings.Metrics);
        Assert.Equal(OtlpExportProtocol.HttpProtobuf, settings.Traces.Protocol);
    }

    [Fact]
    public void TheSharedEndpointGetsEachSignalsPathOverHttpAndStaysAsIsOverGrpc()
    {
        var http = From(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"));
        var grpc = From(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317"), ("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"));

        Assert.Equal(new Uri("http://collector:4318/v1/traces"), http.Traces!.Endpoint);
        Assert.Equal(new Uri("http://collector:4318/v1/logs"), http.Logs!.Endpoint);
        Assert.Equal(new Uri("http://collector:4318/v1/metrics"), http.Metrics!.Endpoint);
        Assert.Equal(new Uri("http://collector:4317"), grpc.Traces!.Endpoint);
        Assert.Equal(OtlpExportProtocol.Grpc, grpc.Logs!.Protocol);
    }
}
