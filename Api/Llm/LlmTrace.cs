namespace Api.Llm;

internal static partial class LlmTrace
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Warning, Message = "LLM call to {Provider}/{Model} failed: {ErrorType}")]
    public static partial void CallFailed(ILogger logger, string provider, string model, string errorType);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Removed {Count} LLM call records older than {Cutoff:u}")]
    public static partial void CallsRemoved(ILogger logger, int count, DateTimeOffset cutoff);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "LLM call cleanup failed: {Error}")]
    public static partial void CleanupFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "LLM provider: {Provider}, model {Model}")]
    public static partial void ProviderChosen(ILogger logger, string provider, string model);
}
