namespace Api.Contracts;

/// <summary>An alert as the Dashboard's notification centre shows it, with whether the reader has read it.</summary>
public sealed record Notification(
    Guid Id, Guid? TenantId, string AlertName, string Status, string Severity, string Summary, string? Description,
    DateTimeOffset StartsAt, DateTimeOffset? EndsAt, DateTimeOffset CreatedAt, bool Read);

/// <summary>The newest notifications the reader may see, and how many of all those they have not read.</summary>
public sealed record NotificationList(int Unread, IReadOnlyList<Notification> Items);
