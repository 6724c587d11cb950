namespace Dashboard.Components.Pages;

public sealed partial class Pipeline : IDisposable
{
    private PipelineStateView? _state;
    private IReadOnlyList<PipelineActivity>? _activities;
    private string? _error;
    private bool _mayRetry;
    private Timer? _refresh;

    [Inject] public required PipelineClient PipelineClient { get; init; }
    [Inject] public required CurrentSession Session { get; init; }
    [Inject] public required ISnackbar Snackbar { get; init; }

    /// <summary>What the prerender loaded, carried into the interactive circuit so it is not loaded twice.</summary>
    [PersistentState]
    public Snapshot? Loaded { get; set; }

    public sealed record Snapshot(PipelineStateView? State, IReadOnlyList<PipelineActivity> Activities);

    protected override async Task OnInitializedAsync()
    {
        var user = await Session.UserAsync();
        _mayRetry = user is { IsSuperAdmin: true } or { IsTenantAdmin: true };
        if (Loaded is { } loaded)
        {
            (_state, _activities) = loaded;
        }
        else
        {
            await LoadAsync();
        }

        _refresh = new Timer(_ => InvokeAsync(async () => { await LoadAsync(); StateHasChanged(); }), null, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));
    }

    private async Task LoadAsync()
    {
        try
        {
            _state = await PipelineClient.StateAsync();
            _activities = await PipelineClient.ActivitiesAsync();
            _error = null;
            Loaded = PrerenderState.IfSmall(new Snapshot(_state, _activities));
        }
        catch (Exception ex) when (ex is ApiException or HttpRequestException)
        {
            _error = ex.Message;
        }
    }

    private async Task RetryAsync(Guid id)
    {
        try
        {
            await PipelineClient.RetryAsync(id);
            Snackbar.Add("The activity is back in the queue.", Severity.Success);
            await LoadAsync();
        }
        catch (ApiException ex)
        {
            Snackbar.Add(ex.Message, Severity.Error);
        }
    }

    // Statuses in the order an activity moves through them; anything else after.
    private static int Order(string status) => Array.IndexOf(ActivityStatus.All, status) is >= 0 and var i ? i : ActivityStatus.All.Length;

    public void Dispose() => _refresh?.Dispose();
}
