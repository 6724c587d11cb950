using System.ClientModel;
using System.ClientModel.Primitives;
using Api.Usage;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenTelemetry.Trace;

namespace Api.Llm;

public static class LlmExtensions
{
    /// <summary>The ActivitySource and Meter name Microsoft.Extensions.AI's OpenTelemetryChatClient uses by default.</summary>
    public const string GenAiTelemetryName = "Experimental.Microsoft.Extensions.AI";

    /// <summary>LLM calls through the instrumented IChatClient pipeline, with pricing, call records, rollups and spend caps.</summary>
    public static IHostApplicationBuilder AddLlm(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<LlmOptions>(LlmOptions.SectionName);
        builder.Services.AddSingleton<IValidateOptions<LlmOptions>, LlmOptionsValidator>();

        builder.Services.AddChatClient(CreateProviderClient)
            .UseOpenTelemetry(sourceName: GenAiTelemetryName, configure: c => c.EnableSensitiveData = false);
        // Its chat spans carry the GenAI attributes; its metrics are not subscribed: UsageMetrics records the same
        // instruments with the tenant and agent added, and two instruments of one name would collide on /metrics.
        builder.Services.ConfigureOpenTelemetryTracerProvider(t => t.AddSource(GenAiTelemetryName));

        builder.Services.AddSingleton<LlmCallStore>();
        builder.Services.AddValidatedOptions<TenantLabelOptions>(TenantLabelOptions.SectionName);
        builder.Services.AddSingleton<TenantLabels>();
        builder.Services.AddInstruments<UsageMetrics>();
        builder.Services.AddSingleton<SpendCaps>();
        builder.Services.AddSingleton<LlmGateway>();
        builder.Services.AddSingleton<UsageQueries>();
        builder.Services.AddSingleton<ProviderStatsQuery>();
        builder.Services.AddSingleton<CostBreakdownQuery>();
        builder.Services.AddSingleton<SpendCapOverrides>();
        builder.Services.AddHostedService<LlmCallCleanup>();
        builder.Services.AddHostedService<SpendGauges>();
        return builder;
    }

    private static IChatClient CreateProviderClient(IServiceProvider services)
    {
        var o = services.GetRequiredService<IOptions<LlmOptions>>().Value;
        LlmTrace.ProviderChosen(services.GetRequiredService<ILogger<LlmGateway>>(), o.ProviderName, o.Model);
        if (o.IsSimulated)
        {
            return new SimulatedChatClient(o.SimulatedMaxLatency);
        }

        // Retries belong to the pipeline (with backoff and a dead letter), not to the SDK.
        var client = new OpenAIClient(new ApiKeyCredential(string.IsNullOrEmpty(o.ApiKey) ? "none" : o.ApiKey), new OpenAIClientOptions
        {
            Endpoint = o.Endpoint,
            NetworkTimeout = o.Timeout,
            RetryPolicy = new ClientRetryPolicy(0),
        });
        return client.GetChatClient(o.Model).AsIChatClient();
    }
}
