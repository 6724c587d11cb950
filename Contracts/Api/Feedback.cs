namespace Api.Contracts;

public sealed record SubmitFeedbackRequest(string? Kind, string? Priority, string? Message, string? Page);

public sealed record TriageFeedbackRequest(string? Status, string? Note);

public sealed record FeedbackItem(
    Guid Id, Guid? TenantId, Guid UserId, string UserEmail, string Kind, string Priority, string Message, string? Page,
    string Status, string? TriageNote, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public static class FeedbackVocabulary
{
    public static readonly string[] Kinds = ["bug", "feature", "question", "general"];
    public static readonly string[] Priorities = ["low", "medium", "high"];
    public static readonly string[] Statuses = ["pending", "reviewed", "resolved"];
}
