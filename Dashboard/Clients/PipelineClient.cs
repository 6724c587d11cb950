namespace Dashboard.Clients;

/// <summary>The agent pipeline: its state, activities and the decisions people make on them.</summary>
public sealed class PipelineClient(HttpClient http)
{
    public Task<PipelineStateView?> StateAsync(CancellationToken ct = default) =>
        http.GetOrNullAsync<PipelineStateView>("/api/pipeline/state", ct);

    public Task<IReadOnlyList<PipelineActivity>> ActivitiesAsync(CancellationToken ct = default) =>
        http.GetListAsync<PipelineActivity>("/api/activities", ct);

    /// <summary>Null when there is no such activity in the caller's scope.</summary>
    public Task<ActivityDetail?> ActivityAsync(Guid id, CancellationToken ct = default) =>
        http.GetOrNullAsync<ActivityDetail>($"/api/activities/{id}", ct);

    public Task<PipelineActivity> DecideAsync(Guid id, bool approve, string? note, CancellationToken ct = default) =>
        http.SendAsync<PipelineActivity>(HttpMethod.Post, $"/api/activities/{id}/{(approve ? "approve" : "reject")}", new DecisionRequest(note), ct);

    public Task<PipelineActivity> RetryAsync(Guid id, CancellationToken ct = default) =>
        http.SendAsync<PipelineActivity>(HttpMethod.Post, $"/api/activities/{id}/retry", new { }, ct);
}
