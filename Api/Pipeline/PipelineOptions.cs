namespace Api.Pipeline;

/// <summary>The agent workers: how many, how often they look for work, how long a claim lasts, how failures retry.</summary>
public sealed class PipelineOptions : IValidatableObject
{
    public const string SectionName = "Pipeline";

    /// <summary>Off turns the workers off in this process (activities still queue).</summary>
    public bool WorkersEnabled { get; set; } = true;

    [Range(1, 64)]
    public int WorkerCount { get; set; } = 2;

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a claimed activity stays invisible to other workers; past it a crashed worker's stage is picked up again.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Tries per stage before the activity goes to the dead letter state.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 4;

    public TimeSpan BaseBackoff { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the pipeline gauges (statuses, backlog, queue depth) are refreshed from the database.</summary>
    public TimeSpan StatsInterval { get; set; } = TimeSpan.FromSeconds(5);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (PollInterval <= TimeSpan.Zero || PollInterval > TimeSpan.FromMinutes(5))
        {
            yield return new ValidationResult("must be between 0 and 5 minutes.", [nameof(PollInterval)]);
        }

        if (Lease < TimeSpan.FromSeconds(1))
        {
            yield return new ValidationResult("must be at least one second.", [nameof(Lease)]);
        }

        if (BaseBackoff < TimeSpan.Zero || BaseBackoff > MaxBackoff)
        {
            yield return new ValidationResult("must be zero or more and not above MaxBackoff.", [nameof(BaseBackoff)]);
        }

        if (StatsInterval < TimeSpan.FromMilliseconds(100))
        {
            yield return new ValidationResult("must be at least 100 ms.", [nameof(StatsInterval)]);
        }
    }

    /// <summary>Exponential: BaseBackoff, then twice as long after each failed try, at most MaxBackoff.</summary>
    public TimeSpan BackoffAfter(int attempt) =>
        TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, BaseBackoff.Ticks * (1L << Math.Clamp(attempt - 1, 0, 30))));
}
