namespace Api.Llm;

internal static partial class LlmTrace
{
    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Removed {Count} LLM call records older than {Cutoff:u}")]
    public static partial void CallsRemoved(ILogger logger, int count, DateTimeOffset cutoff);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "LLM call cleanup failed; the next run tries again")]
    public static partial void CleanupFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "Tenants' spend could not be read; the budget gauges keep their last values")]
    public static partial void SpendGaugesFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "LLM provider: {Provider}, model {Model}")]
    public static partial void ProviderChosen(ILogger logger, string provider, string model);
}
