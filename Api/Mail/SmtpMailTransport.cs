using MailKit.Net.Smtp;
using MimeKit;

namespace Api.Mail;

/// <summary>Sends through the configured SMTP server with MailKit (System.Net.Mail's SmtpClient is obsolete for new code).</summary>
public sealed class SmtpMailTransport(IOptions<MailOptions> options) : IMailTransport
{
    public string Name => "smtp";

    public async Task SendAsync(Guid mailId, MimeMessage message, CancellationToken ct)
    {
        var o = options.Value;
        using var client = new SmtpClient { Timeout = 30_000 };
        await client.ConnectAsync(o.SmtpHost!, o.SmtpPort, o.SmtpSecurity, ct);
        if (!string.IsNullOrEmpty(o.SmtpUserName))
        {
            await client.AuthenticateAsync(o.SmtpUserName, o.SmtpPassword!, ct);
        }

        await client.SendAsync(message, ct);
        await client.DisconnectAsync(true, ct);
    }
}
