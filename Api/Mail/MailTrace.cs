namespace Api.Mail;

internal static partial class MailTrace
{
    // Addresses and subjects never reach the log: a mail is named by its outbox id.
    [LoggerMessage(EventId = 4400, Level = LogLevel.Information, Message = "Mail {MailId} sent ({Transport}, attempt {Attempt})")]
    public static partial void Sent(ILogger logger, Guid mailId, string transport, int attempt);

    [LoggerMessage(EventId = 4401, Level = LogLevel.Warning, Message = "Mail {MailId} not sent ({Transport}, attempt {Attempt}, {ErrorType}); next attempt in {RetryIn}")]
    public static partial void SendFailed(ILogger logger, Guid mailId, string transport, int attempt, string errorType, TimeSpan retryIn);

    [LoggerMessage(EventId = 4402, Level = LogLevel.Information, Message = "Mail goes to {Transport} ({Where})")]
    public static partial void TransportChosen(ILogger logger, string transport, string where);

    [LoggerMessage(EventId = 4403, Level = LogLevel.Warning, Message = "The mail outbox could not be read ({ErrorType}); trying again in {RetryIn}")]
    public static partial void OutboxUnavailable(ILogger logger, string errorType, TimeSpan retryIn);
}
