namespace Dashboard.Components.Pages;

/// <summary>
/// The audit log. Its filters live in its address (<see cref="AuditFilter.ToPageQuery"/>): applying filters navigates,
/// and whatever the address says is what loads, so a link opens the same view and Back goes to the previous one.
/// </summary>
public sealed partial class AuditLog : IDisposable
{
    private const int PageSize = 50;
    private AuditFilter _filter = AuditFilter.FromPageQuery("");

    // The filter as the rows were asked for it: its relative range fixed at load time, for paging, the tail and exports.
    private AuditFilter _query = AuditFilter.FromPageQuery("").At(DateTimeOffset.UtcNow);
    private DateTimeOffset _loadedAt;
    private string? _shownAddress;
    private UserIdentity? _user;
    private TimeZoneInfo _zone = TimeZoneInfo.Utc;
    private List<AuditEntry>? _items;
    private string? _nextCursor;
    private string? _error;
    private AuditStats? _stats;
    private string? _statsError;
    private bool _interactive;
    private bool _loadingMore;
    private bool _live;
    private Timer? _tail;
    private AuditEntryDetail? _selected;
    private Dictionary<Guid, string> _tenants = [];

    [Inject] public required AuditLogClient AuditLogClient { get; init; }
    [Inject] public required TenantsClient TenantsClient { get; init; }
    [Inject] public required CurrentSession Session { get; init; }
    [Inject] public required ReaderTimeZone ReaderZone { get; init; }
    [Inject] public required NavigationManager Navigation { get; init; }

    /// <summary>
    /// The first page as the prerender loaded it, carried into the interactive circuit so it does not load (and,
    /// for readers of other tenants' logs, audit) the same page a second time. The rows only: the drawer loads an
    /// entry's detail by id.
    /// </summary>
    [PersistentState]
    public FirstPage? Loaded { get; set; }

    public sealed record FirstPage(string Address, DateTimeOffset LoadedAt, List<AuditEntry> Items, string? NextCursor,
        Dictionary<Guid, string> Tenants);

    private string ScopeNote => _user switch
    {
        null => "",
        { IsSuperAdmin: true } => "You see every tenant's audit log and the platform's own events. Reading another tenant's log is itself audited.",
        { IsSupport: true } => "You see the tenants assigned to you. Reading their logs is itself audited.",
        { IsMember: true } => "You see your own actions in your tenant.",
        _ => "You see your tenant's audit log.",
    };

    protected override async Task OnInitializedAsync()
    {
        // The page is reused when only its query string changes (Apply, Back, a link): it hears that from the navigation.
        Navigation.LocationChanged += OnLocationChanged;
        _user = await Session.UserAsync();
        if (Loaded is { } loaded)
        {
            _shownAddress = loaded.Address;
            _filter = AuditFilter.FromPageQuery(loaded.Address);
            _query = _filter.At(loaded.LoadedAt);
            (_items, _nextCursor, _tenants) = (loaded.Items, loaded.NextCursor, loaded.Tenants);
            // Routes carried the prerender's zone into the circuit: known already, not looked up again.
            _zone = await ReaderZone.GetAsync();
        }
    }

    protected override async Task OnParametersSetAsync()
    {
        await ShowAsync(new Uri(Navigation.Uri).Query.TrimStart('?'));
    }

    private void OnLocationChanged(object? sender, Microsoft.AspNetCore.Components.Routing.LocationChangedEventArgs e)
    {
        var uri = new Uri(e.Location);
        if (uri.AbsolutePath == "/audit")
        {
            _ = InvokeAsync(async () =>
            {
                await ShowAsync(uri.Query.TrimStart('?'));
                StateHasChanged();
            });
        }
    }

    /// <summary>Loads what the address names, unless it is what the page shows already.</summary>
    private async Task ShowAsync(string address)
    {
        if (address == _shownAddress)
        {
            return;
        }

        var first = _shownAddress is null;
        _shownAddress = address;
        _filter = AuditFilter.FromPageQuery(address);
        // The session (and its token, renewed above if due) is settled: the zone, the names and the log load side by side.
        await Task.WhenAll(ZoneAsync(), first && _user?.SeesManyTenants == true ? LoadTenantNamesAsync() : Task.CompletedTask, ReloadAsync());
        if (first && _items is not null)
        {
            Loaded = PrerenderState.IfSmall(new FirstPage(address, _loadedAt, _items.Select(e => e.ForList()).ToList(),
                _nextCursor, _tenants));
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        // The summary loads once the page is interactive: the first rows never wait for it.
        if (firstRender)
        {
            _interactive = true;
            await LoadSummaryAsync();
            StateHasChanged();
        }
    }

    private async Task ZoneAsync() => _zone = await ReaderZone.GetAsync();

    private async Task LoadTenantNamesAsync()
    {
        try
        {
            _tenants = (await TenantsClient.ListAsync()).ToDictionary(t => t.Id, t => t.Name);
        }
        catch (Exception ex) when (ex is ApiException or HttpRequestException)
        {
            // Names are a convenience; the ids still show.
        }
    }

    /// <summary>New filters go into the address; the same filters again reload (a relative range moves on).</summary>
    private async Task ApplyAsync(AuditFilter filter)
    {
        var address = filter.ToPageQuery();
        if (address == _shownAddress)
        {
            await ReloadAsync();
            return;
        }

        Navigation.NavigateTo(address.Length == 0 ? "/audit" : $"/audit?{address}");
    }

    private Task NarrowAsync(Action<AuditFilter> change)
    {
        var filter = _filter.Copy();
        change(filter);
        return ApplyAsync(filter);
    }

    private Task ReloadAsync() => Task.WhenAll(LoadRowsAsync(), _interactive ? LoadSummaryAsync() : Task.CompletedTask);

    private async Task LoadRowsAsync()
    {
        _error = null;
        _items = null;
        _query = _filter.At(_loadedAt = DateTimeOffset.UtcNow);
        try
        {
            var page = await AuditLogClient.PageAsync(_query, null, PageSize);
            _items = page.Items.ToList();
            _nextCursor = page.NextCursor;
        }
        catch (Exception ex) when (ex is ApiException or HttpRequestException)
        {
            _error = ex.Message;
        }
    }

    private async Task LoadSummaryAsync()
    {
        _stats = null;
        _statsError = null;
        try
        {
            _stats = await AuditLogClient.StatsAsync(_filter.LastDay(DateTimeOffset.UtcNow));
        }
        catch (Exception ex) when (ex is ApiException or HttpRequestException)
        {
            _statsError = ex.Message;
        }
    }

    private async Task LoadMoreAsync()
    {
        // A click that raced a reload (new filters) has no page to extend, or extends one that is gone.
        var items = _items;
        if (items is null || _nextCursor is null)
        {
            return;
        }

        _loadingMore = true;
        try
        {
            var page = await AuditLogClient.PageAsync(_query, _nextCursor, PageSize);
            if (ReferenceEquals(items, _items))
            {
                items.AddRange(page.Items);
                _nextCursor = page.NextCursor;
            }
        }
        catch (Exception ex) when (ex is ApiException or HttpRequestException)
        {
            _error = ex.Message;
        }
        finally
        {
            _loadingMore = false;
        }
    }

    private Task SetLiveAsync(bool live)
    {
        _live = live;
        _tail?.Dispose();
        _tail = live ? new Timer(_ => InvokeAsync(TailAsync), null, TimeSpan.Zero, TimeSpan.FromSeconds(3)) : null;
        return Task.CompletedTask;
    }

    // New entries are prepended as they arrive, without a reload and without losing the reader's place.
    private async Task TailAsync()
    {
        if (_items is null)
        {
            return;
        }

        try
        {
            var newest = _items.Count > 0 ? _items.Max(e => e.OccurredAt) : DateTimeOffset.UtcNow.AddMinutes(-5);
            var page = await AuditLogClient.NewerAsync(_query, newest);
            var known = _items.Select(e => e.Id).ToHashSet();
            var fresh = page.Items.Where(e => !known.Contains(e.Id)).ToList();
            if (fresh.Count > 0)
            {
                _items.InsertRange(0, fresh);
                StateHasChanged();
            }
        }
        catch (Exception ex) when (ex is ApiException or HttpRequestException)
        {
            // The next tick tries again; the page keeps what it has.
        }
    }

    private async Task OpenAsync(AuditEntry entry)
    {
        try
        {
            _selected = await AuditLogClient.DetailAsync(entry.Id) ?? new AuditEntryDetail(entry, []);
        }
        catch (Exception ex) when (ex is ApiException or HttpRequestException)
        {
            _selected = new AuditEntryDetail(entry, []);
        }
    }

    private string RowClass(AuditEntry entry, int index) => entry.Id == _selected?.Entry.Id ? "selected-row" : "clickable-row";

    private string TenantName(Guid id) =>
        id == AuditTenants.Platform ? "Platform" : _tenants.TryGetValue(id, out var name) ? name : id.ToString()[..8];

    public void Dispose()
    {
        Navigation.LocationChanged -= OnLocationChanged;
        _tail?.Dispose();
    }
}
