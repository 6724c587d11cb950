namespace Audit.Contracts;

/// <summary>What AuditService answers once a batch is committed.</summary>
public sealed record IngestResponse(int Accepted, int Duplicates, IReadOnlyList<IngestResult> Results);

/// <summary>Status is one of <see cref="IngestStatus"/>; Seq is the event's place in its tenant's chain (0 when not stored).</summary>
public sealed record IngestResult(Guid Id, string Status, long Seq);

public static class IngestStatus
{
    public const string Accepted = "accepted";

    /// <summary>The id was stored before with the same content: nothing new was stored, the answer is the stored event's.</summary>
    public const string Duplicate = "duplicate";

    /// <summary>The id was stored before with different content; the request is refused (409) and none of it stored.</summary>
    public const string Conflict = "conflict";

    /// <summary>Another event of the same request conflicted, so this one was not stored either.</summary>
    public const string NotStored = "not_stored";
}

public static class AuditVocabulary
{
    public static readonly string[] ActorTypes = ["human", "agent", "system", "api_key"];
    public static readonly string[] Categories = ["audit", "activity"];
    public static readonly string[] Severities = ["info", "warning", "error", "critical"];

    /// <summary>
    /// The resource types the platform's own services record (the audit log page suggests them); a client of the
    /// ingest API may record any other.
    /// </summary>
    public static readonly string[] PlatformResourceTypes = ["activity", "audit_log", "audit_partition", "feedback", "tenant", "user"];
}

public static class AuditTenants
{
    /// <summary>The tenant id under which platform-level actions (no customer tenant) are recorded.</summary>
    public static readonly Guid Platform = new("00000000-0000-0000-0000-000000000001");
}
