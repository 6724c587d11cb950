using MimeKit;

namespace Api.Mail;

/// <summary>Where a mail goes: an SMTP server, or the local .eml sink.</summary>
public interface IMailTransport
{
    /// <summary>For the log line: "smtp" or "file".</summary>
    string Name { get; }

    Task SendAsync(Guid mailId, MimeMessage message, CancellationToken ct);
}
