using MimeKit;

namespace Api.Mail;

/// <summary>
/// Drains the outbox: every <see cref="MailOptions.PollInterval"/> it claims the due mail and sends each; a failed mail
/// keeps its row with the error and is tried again after a doubling backoff, for as long as it takes.
/// </summary>
public sealed class MailSender(MailOutbox outbox, IMailTransport transport, MailMetrics metrics, IOptions<MailOptions> options, ILogger<MailSender> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PollInterval);
        do
        {
            try
            {
                while (await SendDueAsync(stoppingToken) == options.Value.BatchSize)
                {
                    // A full batch: there may be more due at once.
                }

                metrics.Observed(await outbox.BacklogAsync(stoppingToken));
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                MailTrace.OutboxUnavailable(logger, ex.GetType().Name, options.Value.PollInterval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Sends what is due now; answers how many mails were claimed.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        var due = await outbox.ClaimDueAsync(options.Value.BatchSize, ct);
        foreach (var mail in due)
        {
            try
            {
                await transport.SendAsync(mail.Id, Message(mail), ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                var retryIn = options.Value.BackoffAfter(mail.Attempts);
                await outbox.MarkFailedAsync(mail.Id, ex.Message, retryIn, ct);
                metrics.Failed();
                MailTrace.SendFailed(logger, mail.Id, transport.Name, mail.Attempts, ex.GetType().Name, retryIn);
                continue;
            }

            await outbox.MarkSentAsync(mail.Id, ct);
            metrics.Sent();
            MailTrace.Sent(logger, mail.Id, transport.Name, mail.Attempts);
        }

        return due.Count;
    }

    private MimeMessage Message(OutboxMail mail)
    {
        var message = new MimeMessage
        {
            Subject = mail.Subject,
            Date = mail.CreatedAt,
            // The outbox id: the same mail sent again after a crash is recognisably the same.
            MessageId = $"{mail.Id:N}@outbox.local",
            Body = new TextPart("plain") { Text = mail.Body },
        };
        message.From.Add(MailboxAddress.Parse(options.Value.From));
        message.To.Add(MailboxAddress.Parse(mail.To));
        return message;
    }
}
