namespace Dashboard.Components.Pages;

/// <summary>
/// An activity's debugger: its status, stage runs and LLM calls. While the activity can still change (queued, running,
/// waiting for a decision, or dead-lettered and so retryable) the page reloads it every few seconds by itself.
/// </summary>
public sealed partial class ActivityPage : IDisposable
{
    public static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(2);

    private ActivityDetail? _detail;
    private bool _loaded;
    private string? _error;
    private string? _note;
    private Timer? _refresh;
    private TimeZoneInfo _zone = TimeZoneInfo.Utc;

    [Parameter] public Guid Id { get; set; }

    [Inject] public required PipelineClient PipelineClient { get; init; }
    [Inject] public required TraceLinkBuilder TraceLinks { get; init; }
    [Inject] public required ISnackbar Snackbar { get; init; }
    [Inject] public required ReaderTimeZone ReaderZone { get; init; }

    /// <summary>Completed and rejected activities are final; every other status can still move.</summary>
    private bool Live => _detail?.Activity.Status is not (null or ActivityStatus.Completed or ActivityStatus.Rejected);

    /// <summary>
    /// Where the work is: the stage and its try while it runs, the stage runs and retries once it is done. The activity's
    /// own attempt counter restarts at every stage (and reads 0 once the last one succeeded), so it is not shown alone.
    /// </summary>
    private string Progress
    {
        get
        {
            var (a, runs) = (_detail!.Activity, _detail.Timeline);
            var retries = runs.Count(r => r.Attempt > 1);
            var done = $"{runs.Count} stage run{(runs.Count == 1 ? "" : "s")}, {retries} retr{(retries == 1 ? "y" : "ies")}";
            return a.Status is ActivityStatus.Queued or ActivityStatus.Running
                ? $"stage {Math.Min(a.StageIndex + 1, a.StageCount)} of {a.StageCount}, try {Math.Max(a.Attempts, 1)} · {done}"
                : done;
        }
    }

    /// <summary>
    /// The activity's LLM cost, from its call records. Those are deleted after Llm:CallRetention while the activity stays:
    /// a stage that succeeded made a call, so none on record means the cost is no longer known, not that it was $0.
    /// </summary>
    private string Cost => _detail!.LlmCalls.Count == 0 && _detail.Timeline.Any(r => r.Outcome == "succeeded")
        ? "LLM cost no longer on record (its call records have expired)"
        : $"total LLM cost {_detail.TotalCostUsd:$0.0000}";

    protected override Task OnParametersSetAsync() => LoadAsync();

    protected override void OnAfterRender(bool firstRender)
    {
        // Only the interactive page refreshes; the prerendered HTML is a snapshot.
        if (firstRender)
        {
            _refresh = new Timer(_ => InvokeAsync(RefreshAsync), null, RefreshEvery, RefreshEvery);
        }
    }

    private async Task RefreshAsync()
    {
        if (Live)
        {
            await LoadAsync();
            StateHasChanged();
        }
    }

    private async Task LoadAsync()
    {
        try
        {
            _zone = await ReaderZone.GetAsync();
            _detail = await PipelineClient.ActivityAsync(Id);
            _error = null;
        }
        catch (Exception ex) when (ex is ApiException or HttpRequestException)
        {
            _error = ex.Message;
        }

        _loaded = true;
    }

    private async Task DecideAsync(bool approve)
    {
        try
        {
            await PipelineClient.DecideAsync(Id, approve, _note);
            Snackbar.Add(approve ? "Approved." : "Rejected.", Severity.Success);
            await LoadAsync();
        }
        catch (ApiException ex)
        {
            Snackbar.Add(ex.Message, Severity.Error);
        }
    }

    public void Dispose() => _refresh?.Dispose();
}
