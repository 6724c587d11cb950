namespace Api.Contracts;

public sealed record DatabaseHealth(bool Connected, double QueryMilliseconds, string? Error);

public sealed record RecentActivity(long PeopleSignedInLastHour, long ActiveSessions, long TenantsCreatedLastDay, long Users, long Tenants);

/// <summary>What GET /api/system/health answers: healthy, degraded or unhealthy, and why.</summary>
public sealed record SystemHealthReport(string Status, DateTimeOffset CheckedAt, DatabaseHealth Database,
    long RequestsLastHour, long ServerErrorsLastHour, double ErrorRateLastHour, RecentActivity? Activity, IReadOnlyList<string> Reasons);
