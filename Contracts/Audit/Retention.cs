namespace Audit.Contracts;

/// <summary>What started a retention run.</summary>
public static class RetentionTriggers
{
    public const string StartUp = "start-up";
    public const string Schedule = "schedule";
    public const string Manual = "manual";
}

/// <summary>
/// One category's retention: how long it is kept (null = for ever), the oldest month still held, and when the next
/// month of it expires (its end plus the retention) with that month's partition.
/// </summary>
public sealed record RetentionPolicyView(string Category, int? KeepDays, DateTimeOffset? OldestHeldFrom, DateTimeOffset? NextExpiryAt,
    string? NextExpiringPartition);

/// <summary>One run of the retention job: what started it, when, the partitions it dropped and how many entries of how many tenants went, or why it failed.</summary>
public sealed record RetentionRunView(Guid Id, string Trigger, string? RequestedBy, DateTimeOffset StartedAt, DateTimeOffset FinishedAt,
    IReadOnlyList<string> Partitions, long DroppedEvents, int Tenants, string? Error);

/// <summary>GET /api/v1/retention (super admins): the policies, the schedule of the answering instance, and the latest runs, newest first.</summary>
public sealed record RetentionStatus(IReadOnlyList<RetentionPolicyView> Policies, TimeSpan Interval, DateTimeOffset? NextRunAt,
    IReadOnlyList<RetentionRunView> Runs);
