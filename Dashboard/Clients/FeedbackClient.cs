namespace Dashboard.Clients;

/// <summary>Feedback: sending it from any page, and triaging it.</summary>
public sealed class FeedbackClient(HttpClient http)
{
    public Task<FeedbackItem> SubmitAsync(SubmitFeedbackRequest feedback, CancellationToken ct = default) =>
        http.SendAsync<FeedbackItem>(HttpMethod.Post, "/api/feedback", feedback, ct);

    public Task<IReadOnlyList<FeedbackItem>> ListAsync(string status, CancellationToken ct = default) =>
        http.GetListAsync<FeedbackItem>($"/api/feedback?status={Uri.EscapeDataString(status)}", ct);

    public Task<FeedbackItem> TriageAsync(Guid id, string status, CancellationToken ct = default) =>
        http.SendAsync<FeedbackItem>(HttpMethod.Patch, $"/api/feedback/{id}", new TriageFeedbackRequest(status, null), ct);
}
