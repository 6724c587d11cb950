namespace Api.Mail;

public static class MailExtensions
{
    /// <summary>The outbox's sender and its transport: SMTP when configured outside Development, else the .eml sink.</summary>
    public static IHostApplicationBuilder AddMail(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<MailOptions>(MailOptions.SectionName);
        builder.Services.AddSingleton<MailOutbox>();
        builder.Services.AddInstruments<MailMetrics>();
        var environment = builder.Environment;
        builder.Services.AddSingleton<IMailTransport>(services =>
        {
            var o = services.GetRequiredService<IOptions<MailOptions>>().Value;
            var logger = services.GetRequiredService<ILogger<MailSender>>();
            if (!environment.IsDevelopment() && !string.IsNullOrWhiteSpace(o.SmtpHost))
            {
                MailTrace.TransportChosen(logger, "smtp", $"{o.SmtpHost}:{o.SmtpPort}");
                return new SmtpMailTransport(services.GetRequiredService<IOptions<MailOptions>>());
            }

            var directory = Path.GetFullPath(o.SinkDirectory ?? Path.Combine(".data", "mail"), environment.ContentRootPath);
            MailTrace.TransportChosen(logger, "file", directory);
            return new FileMailSink(directory);
        });
        builder.Services.AddHostedService<MailSender>();
        return builder;
    }
}
