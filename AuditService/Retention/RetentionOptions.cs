namespace AuditService.Retention;

/// <summary>How long each category is kept; expired months are dropped whole, never deleted row by row.</summary>
public sealed class RetentionOptions : IValidatableObject
{
    /// <summary>Events may arrive up to 30 days late, so nothing younger may be dropped; the database refuses it too.</summary>
    public const int MinDays = 30;

    public const string SectionName = "Retention";

    /// <summary>Days kept per category; a category not listed is kept for ever.</summary>
    public Dictionary<string, int> Days { get; set; } = new() { ["audit"] = 7 * 365 + 2, ["activity"] = 90 };

    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>
    /// The first run after start-up: soon, so a service that restarts more often than every <see cref="Interval"/> still
    /// applies retention, yet after the migrations and the first requests have settled.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan FirstRunDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A partition holding every category (made before categories were split) expires with the longest policy.</summary>
    public TimeSpan? KeepFor(string? category) =>
        category is null
            ? Audit.Contracts.AuditVocabulary.Categories.All(Days.ContainsKey) ? TimeSpan.FromDays(Days.Values.Max()) : null
            : Days.TryGetValue(category, out var days) ? TimeSpan.FromDays(days) : null;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        Days.Where(d => d.Value < MinDays || !Audit.Contracts.AuditVocabulary.Categories.Contains(d.Key))
            .Select(d => new ValidationResult(
                $"Retention:Days:{d.Key} must name a category ({string.Join(", ", Audit.Contracts.AuditVocabulary.Categories)}) and keep it at least {MinDays} days.",
                [nameof(Days)]));
}
