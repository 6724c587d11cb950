namespace AuditService.Chain;

/// <summary>What is wrong with a chain, by name.</summary>
public static class ChainProblems
{
    public const string Altered = "altered";
    public const string Unlinked = "unlinked";
    public const string Deleted = "deleted";
    public const string Duplicate = "duplicate";
    public const string Backdated = "backdated";
    public const string Truncated = "truncated";
    public const string Appended = "appended";
    public const string Rewritten = "rewritten";
    public const string ForgedRecord = "forged_record";
}

/// <summary>
/// Intact, or the first bad sequence number, what kind of problem it is and a sentence saying so.
/// Expired counts events that retention dropped under a signed record: gaps that are not tampering.
/// </summary>
public sealed record ChainVerdict(Guid TenantId, bool Intact, long EventsChecked, long? FirstBadSeq, string? Problem,
    string? Kind = null, long EventsExpired = 0, int CheckpointsChecked = 0);
