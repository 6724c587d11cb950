using MailKit.Security;
using MimeKit;

namespace Api.Mail;

/// <summary>
/// How the Api sends the mail in its outbox (Mail:*), checked at start-up. SMTP when <see cref="SmtpHost"/> is set outside
/// Development; otherwise (Development, or no SMTP configured) the local sink writes each mail as an .eml file.
/// </summary>
public sealed class MailOptions : IValidatableObject
{
    public const string SectionName = "Mail";

    /// <summary>The sender address of every mail.</summary>
    [Required]
    public string From { get; set; } = "Audit & Observability <alerts@localhost>";

    public string? SmtpHost { get; set; }

    [Range(1, 65535)]
    public int SmtpPort { get; set; } = 587;

    /// <summary>Auto: TLS on 465, STARTTLS when the server offers it elsewhere.</summary>
    public SecureSocketOptions SmtpSecurity { get; set; } = SecureSocketOptions.Auto;

    public string? SmtpUserName { get; set; }

    public string? SmtpPassword { get; set; }

    /// <summary>Where the local sink writes .eml files; default .data/mail under the content root (git-ignored).</summary>
    public string? SinkDirectory { get; set; }

    /// <summary>How often the sender looks for due mail.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The wait after a first failed attempt; it doubles with each further one, up to <see cref="MaxBackoff"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan BaseBackoff { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:00.010", "7.00:00:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromHours(1);

    [Range(1, 500)]
    public int BatchSize { get; set; } = 20;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!MailboxAddress.TryParse(From, out _))
        {
            yield return new ValidationResult("Mail:From must be a mail address such as 'Alerts <alerts@example.com>'.", [nameof(From)]);
        }

        if (!string.IsNullOrEmpty(SmtpUserName) && string.IsNullOrEmpty(SmtpPassword))
        {
            yield return new ValidationResult("Mail:SmtpPassword is required with Mail:SmtpUserName.", [nameof(SmtpPassword)]);
        }

        if (MaxBackoff < BaseBackoff)
        {
            yield return new ValidationResult("Mail:MaxBackoff must not be shorter than Mail:BaseBackoff.", [nameof(MaxBackoff)]);
        }
    }

    /// <summary>Backoff before the next attempt after <paramref name="attempts"/> failed ones: doubling, capped.</summary>
    public TimeSpan BackoffAfter(int attempts) =>
        TimeSpan.FromTicks((long)Math.Min(MaxBackoff.Ticks, BaseBackoff.Ticks * Math.Pow(2, Math.Clamp(attempts - 1, 0, 40))));
}
