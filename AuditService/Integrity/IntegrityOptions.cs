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

    /// <summary>Every chain head that moved is signed at start-up and at this interval.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// A tenant's head is also signed, in the commit itself, each time its chain passes a multiple of this many
    /// events: a cut tail is then caught however often the service restarts and however busy the tenant is.
    /// </summary>
    [Range(1, 10_000_000)]
    public int CheckpointEvery { get; set; } = 1000;

    /// <summary>Every tenant's chain is walked at this interval (<see cref="ChainWalkJob"/>).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "31.00:00:00")]
    public TimeSpan WalkInterval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The first walk after start-up: late enough not to slow a start, soon enough that a restart does not skip a day.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan FirstWalkDelay { get; set; } = TimeSpan.FromMinutes(10);
}
