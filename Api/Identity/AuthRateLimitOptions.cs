namespace Api.Identity;

/// <summary>Attempts per client address and endpoint on sign-in, sign-up, refresh and sign-out.</summary>
public sealed class AuthRateLimitOptions
{
    public const string SectionName = "RateLimits:Auth";

    [Range(1, 100_000)]
    public int PermitLimit { get; set; } = 20;

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}
