namespace Api.Pipeline;

public static class ActivityStatus
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string AwaitingApproval = "awaiting_approval";
    public const string Completed = "completed";
    public const string Rejected = "rejected";
    public const string DeadLetter = "dead_letter";

    public static readonly string[] All = [Queued, Running, AwaitingApproval, Completed, Rejected, DeadLetter];
}
