using MimeKit;

namespace Api.Mail;

/// <summary>
/// The local sink (Development, or no SMTP configured): each mail becomes &lt;outbox id&gt;.eml in one folder, which any mail
/// client opens. Written to a temporary name and moved into place, so a reader never sees half a mail and a mail sent
/// twice (after a crash between sending and marking) replaces itself.
/// </summary>
public sealed class FileMailSink(string directory) : IMailTransport
{
    public string Name => "file";

    public string Directory => directory;

    public async Task SendAsync(Guid mailId, MimeMessage message, CancellationToken ct)
    {
        System.IO.Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{mailId:N}.eml");
        var temporary = path + ".tmp";
        await message.WriteToAsync(temporary, ct);
        File.Move(temporary, path, overwrite: true);
    }
}
