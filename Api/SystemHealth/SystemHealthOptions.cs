namespace Api.SystemHealth;

public sealed class SystemHealthOptions
{
    public const string SectionName = "SystemHealth";

    /// <summary>How often this process adds its request counts to the database (and so how stale another replica's can be).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(10);
}
