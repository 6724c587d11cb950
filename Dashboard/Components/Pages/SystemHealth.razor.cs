namespace Dashboard.Components.Pages;

public sealed partial class SystemHealth : IDisposable
{
    private static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(10);

    private IReadOnlyList<ServiceHealth>? _services;
    private SystemHealthReport? _report;
    private string? _reportError;
    private Timer? _timer;

    [Inject] public required HealthClient Health { get; init; }
    [Inject] public required SystemHealthClient SystemHealthClient { get; init; }

    protected override async Task OnInitializedAsync()
    {
        await LoadAsync();
        _timer = new Timer(_ => InvokeAsync(async () =>
        {
            await LoadAsync();
            StateHasChanged();
        }), null, RefreshEvery, RefreshEvery);
    }

    private async Task LoadAsync()
    {
        var services = Health.AllAsync(CancellationToken.None);
        try
        {
            _report = await SystemHealthClient.ReportAsync();
            _reportError = null;
        }
        catch (Exception ex) when (ex is ApiException or HttpRequestException)
        {
            _reportError = ex.Message;
        }

        _services = await services;
    }

    /// <summary>The services' /health says Healthy, Degraded or Unhealthy; the Api's report says the same in lower case.</summary>
    private static Color ColorOf(string? status) => status?.ToLowerInvariant() switch
    {
        null => Color.Default,
        "healthy" => Color.Success,
        "degraded" => Color.Warning,
        _ => Color.Error,
    };

    public void Dispose() => _timer?.Dispose();
}
