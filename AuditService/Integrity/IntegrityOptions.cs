using System.ComponentModel.DataAnnotations;

namespace AuditService.Integrity;

public sealed class IntegrityOptions
{
    public const string SectionName = "Integrity";

    /// <summary>
    /// The HMAC key that signs checkpoints and retention records. It lives in configuration, never in the
    /// database, so a database superuser can rewrite rows but cannot forge what vouches for them.
    /// </summary>
    [Required, MinLength(32)]
    public string SigningKey { get; set; } = "";

    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromHours(1);
}
