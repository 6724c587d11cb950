namespace Dashboard.Components.Shared;

/// <summary>
/// The audit log's filter form. It edits a draft of the applied filter and hands the page a new filter on Apply (or a
/// preset); the page puts it in its address, so what is shown is always what the link says.
/// </summary>
public sealed partial class AuditFilters
{
    private AuditFilter _draft = new();
    private AuditFilter? _applied;

    /// <summary>The filter this form handed the page last, until it comes back as <see cref="Filter"/>.</summary>
    private string? _sent;
    private DateRange? _dates;

    /// <summary>The filter the page shows now.</summary>
    [Parameter, EditorRequired] public AuditFilter Filter { get; set; } = default!;
    [Parameter] public IReadOnlyDictionary<Guid, string> Tenants { get; set; } = new Dictionary<Guid, string>();
    [Parameter] public bool ShowTenant { get; set; }

    /// <summary>The user picker and actor type: not for members, who see only their own actions.</summary>
    [Parameter] public bool ShowActor { get; set; } = true;
    [Parameter] public TimeZoneInfo Zone { get; set; } = TimeZoneInfo.Utc;
    [Parameter] public EventCallback<AuditFilter> OnApply { get; set; }

    protected override void OnParametersSet()
    {
        if (!ReferenceEquals(_applied, Filter))
        {
            _applied = Filter;
            // The filter this form just applied, back from the page's address: keep what the person typed meanwhile.
            if (_sent is not null && _sent == Filter.ToPageQuery())
            {
                _sent = null;
                return;
            }

            _sent = null;
            _draft = Filter.Copy();
            _dates = Filter.Range is null && Filter.From is { } from
                ? new DateRange(Local(from), Filter.To is { } to ? Local(to).AddDays(-1) : null)
                : null;
        }
    }

    private async Task ApplyAsync()
    {
        // A custom range is whole days in the reader's zone, its last day included.
        if (_dates?.Start is { } start)
        {
            _draft.Range = null;
            _draft.From = Midnight(start);
            _draft.To = _dates.End is { } end ? Midnight(end.AddDays(1)) : null;
        }

        await SendAsync();
    }

    private async Task PresetAsync(string range)
    {
        _dates = null;
        (_draft.Range, _draft.From, _draft.To) = (range, null, null);
        await SendAsync();
    }

    private async Task SendAsync()
    {
        var applied = _draft.Copy();
        _sent = applied.ToPageQuery();
        await OnApply.InvokeAsync(applied);
    }

    private Task ClearAsync()
    {
        _draft = new AuditFilter();
        return PresetAsync(AuditFilter.DefaultRange);
    }

    private static Task<IEnumerable<string>> ResourceTypesAsync(string? text, CancellationToken ct) =>
        Task.FromResult(string.IsNullOrWhiteSpace(text) ? AuditVocabulary.PlatformResourceTypes
            : AuditVocabulary.PlatformResourceTypes.Where(t => t.Contains(text.Trim(), StringComparison.OrdinalIgnoreCase)));

    private DateTime Local(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Zone).Date;

    private DateTimeOffset Midnight(DateTime day)
    {
        var local = DateTime.SpecifyKind(day.Date, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local));
    }
}
