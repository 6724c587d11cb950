namespace Api.Pipeline;

/// <summary>An activity a worker holds under a lease: only the holder of LeaseToken may move it on.</summary>
public sealed record ClaimedActivity(
    Guid Id, Guid TenantId, string Kind, string Input, int StageIndex, int Attempts, string? TraceParent, string? Output, Guid LeaseToken);
