namespace AuditService.Queries;

public sealed class ReadAuditOptions
{
    public const string SectionName = "ReadAudit";

    /// <summary>
    /// One <c>audit_log.viewed</c> entry per reader and tenant in this window: the first read in it is recorded
    /// (and committed before it is answered), repeats within it are not. Zero records every read. Exports are
    /// always recorded.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);
}
