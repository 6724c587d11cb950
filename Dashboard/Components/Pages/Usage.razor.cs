using Dashboard.Components;

namespace Dashboard.Components.Pages;

public sealed partial class Usage
{
    private UserIdentity? _user;
    private string _granularity = "day";
    private string _split = "provider";
    private UsageReport? _report;
    private IReadOnlyList<TenantCapView>? _caps;
    private string? _error;
    private string[] _labels = [];
    private CostBreakdown? _breakdown;
    private List<BarSeries> _costSeries = [];
    private List<BarSeries> _tokenSeries = [];

    [Inject] public required UsageClient UsageClient { get; init; }
    [Inject] public required CurrentSession Session { get; init; }

    protected override async Task OnInitializedAsync()
    {
        _user = await Session.UserAsync();
        if (Loaded is { } loaded)
        {
            (_report, _caps, _breakdown) = loaded;
            BuildCharts();
            return;
        }

        await LoadAsync();
        Loaded = _report is null ? null : PrerenderState.IfSmall(new Snapshot(_report, _caps, _breakdown));
    }

    /// <summary>What the prerender loaded (the default granularity), carried into the interactive circuit so it is not loaded twice.</summary>
    [PersistentState]
    public Snapshot? Loaded { get; set; }

    public sealed record Snapshot(UsageReport Report, IReadOnlyList<TenantCapView>? Caps, CostBreakdown? Breakdown);

    private async Task LoadAsync()
    {
        _error = null;
        _report = null;
        try
        {
            var days = _granularity switch { "month" => 365, "week" => 120, _ => 30 };
            var from = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-days));
            _report = await UsageClient.ReportAsync(_granularity, from);
            _caps = await UsageClient.CapsAsync();
            // Call records, the breakdown's source, are kept 180 days.
            _breakdown = await UsageClient.BreakdownAsync(Math.Min(days, 180));
            BuildCharts();
        }
        catch (Exception ex) when (ex is ApiException or HttpRequestException)
        {
            _error = ex.Message;
        }
    }

    private Task SetGranularityAsync(string value)
    {
        _granularity = value;
        return LoadAsync();
    }

    private void SetSplit(string value)
    {
        _split = value;
        BuildCharts();
    }

    private void BuildCharts()
    {
        if (_report is null)
        {
            return;
        }

        var periods = _report.Rows.Select(r => r.Period).Distinct().Order().ToList();
        _labels = periods.Select(p => _granularity == "month" ? p.ToString("yyyy-MM") : p.ToString("MM-dd")).ToArray();
        string Key(UsageRow r) => _split switch { "model" => r.Model, "tenant" => r.Tenant, _ => r.Provider };
        _costSeries = [.. _report.Rows.GroupBy(Key).OrderBy(g => g.Key).Select(g =>
            new BarSeries(g.Key, [.. periods.Select(p => (double)g.Where(r => r.Period == p).Sum(r => r.CostUsd))]))];
        double[] Tokens(Func<UsageRow, long> count) => [.. periods.Select(p => (double)_report.Rows.Where(r => r.Period == p).Sum(count))];
        // Input tokens include the cached ones: stacked, the parts add up to what was sent and received.
        _tokenSeries =
        [
            new BarSeries("Input (uncached)", Tokens(r => r.InputTokens - r.CachedInputTokens)),
            new BarSeries("Cached input", Tokens(r => r.CachedInputTokens)),
            new BarSeries("Output", Tokens(r => r.OutputTokens)),
        ];
    }

    private static string Money(double value, int decimals) => "$" + value.ToString("N" + decimals, System.Globalization.CultureInfo.InvariantCulture);

    private static Color CapColor(double utilization) => utilization >= 1 ? Color.Error : utilization >= 0.8 ? Color.Warning : Color.Success;

    private static string Compact(long n) => n >= 1_000_000 ? $"{n / 1_000_000.0:0.#}M" : n >= 1_000 ? $"{n / 1_000.0:0.#}k" : n.ToString();
}
