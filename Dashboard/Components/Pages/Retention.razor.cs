namespace Dashboard.Components.Pages;

public sealed partial class Retention
{
    private RetentionStatus? _status;
    private string? _error;
    private bool _running;
    private TimeZoneInfo _zone = TimeZoneInfo.Utc;

    [Inject] public required RetentionClient RetentionClient { get; init; }
    [Inject] public required ReaderTimeZone ReaderZone { get; init; }
    [Inject] public required IDialogService Dialogs { get; init; }
    [Inject] public required ISnackbar Snackbar { get; init; }

    protected override async Task OnInitializedAsync()
    {
        _zone = await ReaderZone.GetAsync();
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        try
        {
            _status = await RetentionClient.StatusAsync();
            _error = _status is null ? "AuditService did not answer with its retention." : null;
        }
        catch (Exception ex) when (ex is ApiException or HttpRequestException)
        {
            _error = ex.Message;
        }
    }

    private async Task RunNowAsync()
    {
        if (await Dialogs.ShowMessageBoxAsync("Run retention now", "Every month past its category's retention is dropped now, with signed records. Continue?",
                yesText: "Run now", cancelText: "Cancel") != true)
        {
            return;
        }

        _running = true;
        try
        {
            var run = await RetentionClient.RunNowAsync();
            Snackbar.Add(run.Error is null ? $"Retention ran: {Dropped(run)}." : $"Retention failed: {run.Error}", run.Error is null ? Severity.Success : Severity.Error);
            await LoadAsync();
        }
        catch (Exception ex) when (ex is ApiException or HttpRequestException)
        {
            Snackbar.Add(ex.Message, Severity.Error);
        }
        finally
        {
            _running = false;
        }
    }

    private static string Dropped(RetentionRunView run) => run.Partitions.Count == 0
        ? "nothing had expired"
        : $"{run.DroppedEvents:N0} entries of {run.Tenants:N0} tenant{(run.Tenants == 1 ? "" : "s")} in {run.Partitions.Count} partition{(run.Partitions.Count == 1 ? "" : "s")}";

    private static string Interval(TimeSpan interval) =>
        interval.TotalHours >= 1 && interval.Minutes == 0 && interval.Seconds == 0 ? $"{interval.TotalHours:0} hours" : interval.ToString();
}
