namespace Dashboard.Clients;

/// <summary>The notification centre: alerts delivered to the Api, and marking them read.</summary>
public sealed class NotificationsClient(HttpClient http)
{
    public async Task<NotificationList> ListAsync(int limit, CancellationToken ct = default) =>
        await http.GetOrNullAsync<NotificationList>($"/api/notifications?limit={limit}", ct) ?? new NotificationList(0, []);

    public Task MarkReadAsync(Guid id, CancellationToken ct = default) => PostAsync($"/api/notifications/{id}/read", ct);

    public Task MarkAllReadAsync(CancellationToken ct = default) => PostAsync("/api/notifications/read", ct);

    private async Task PostAsync(string path, CancellationToken ct)
    {
        using var response = await http.PostAsync(path, null, ct);
        await ApiException.ThrowIfFailedAsync(response, ct);
    }
}
