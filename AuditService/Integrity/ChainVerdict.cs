namespace AuditService.Integrity;

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
    public const string Unreadable = "unreadable";
}

/// <summary>
/// Intact, or the first bad sequence number, what kind of problem it is and a sentence saying so.
/// Expired counts events that retention dropped under a signed record: gaps that are not tampering.
/// SignedThroughSeq is how far back the verdict can vouch against a cut or rewritten tail: the newest event pinned by
/// a valid signed checkpoint that matched. Events after it are vouched for only by the database's own chain head (a
/// cut of them that also rewinds the head is not detectable); null when no checkpoint pins any event yet.
/// </summary>
public sealed record ChainVerdict(Guid TenantId, bool Intact, long EventsChecked, long? FirstBadSeq, string? Problem,
    string? Kind = null, long EventsExpired = 0, int CheckpointsChecked = 0, long? SignedThroughSeq = null);
