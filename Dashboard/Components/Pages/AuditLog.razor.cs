using Dashboard.Auth;
using Dashboard.Clients;
using Microsoft.AspNetCore.Components;

namespace Dashboard.Components.Pages;

public sealed partial class AuditLog : IDisposable
{
    private const int PageSize = 50;
    private readonly AuditFilter _filter = new() { From = DateTimeOffset.UtcNow.AddDays(-7) };
    private UserIdentity? _user;
    private List<AuditEntry>? _items;
    private string? _nextCursor;
    private string? _error;
    private bool _loadingMore;
    private bool _live;
    private Timer? _tail;
    private AuditEntryDetail? _selected;
    private Dictionary<Guid, string> _tenants = [];

    [Inject] public required AuditLogClient AuditLogClient { get; init; }
    [Inject] public required TenantsClient TenantsClient { get; init; }
    [Inject] public required CurrentSession Session { get; init; }

    /// <summary>
    /// The first page as the prerender loaded it, carried into the interactive circuit so it does not load (and,
    /// for readers of other tenants' logs, audit) the same page a second time. The rows only: the drawer loads an
    /// entry's detail by id.
    /// </summary>
    [PersistentState]
    public FirstPage? Loaded { get; set; }

    public sealed record FirstPage(DateTimeOffset? From, List<AuditEntry> Items, string? NextCursor, Dictionary<Guid, string> Tenants);

    private string ScopeNote => _user switch
    {
        null => "",
        { IsSuperAdmin: true } => "You see every tenant's audit log. Reading another tenant's log is itself audited.",
        { IsSupport: true } => "You see the tenants assigned to you. Reading their logs is itself audited.",
        { IsMember: true } => "You see your own actions in your tenant.",
        _ => "You see your tenant's audit log.",
    };

    protected override async Task OnInitializedAsync()
    {
        _user = await Session.UserAsync();
        if (Loaded is { } loaded)
        {
            _filter.From = loaded.From;
            _items = loaded.Items;
            _nextCursor = loaded.NextCursor;
            _tenants = loaded.Tenants;
            return;
        }

        // The session (and its token, renewed above if due) is settled: the names and the log load side by side.
        await Task.WhenAll(_user?.SeesManyTenants == true ? LoadTenantNamesAsync() : Task.CompletedTask, ReloadAsync());
        if (_items is not null)
        {
            Loaded = PrerenderState.IfSmall(new FirstPage(_filter.From, _items.Select(e => e.ForList()).ToList(), _nextCursor, _tenants));
        }
    }

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

    private async Task ReloadAsync()
    {
        _error = null;
        _items = null;
        try
        {
            var page = await AuditLogClient.PageAsync(_filter, null, PageSize);
            _items = page.Items.ToList();
            _nextCursor = page.NextCursor;
        }
        catch (Exception ex) when (ex is ApiException or HttpRequestException)
        {
            _error = ex.Message;
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
            var page = await AuditLogClient.PageAsync(_filter, _nextCursor, PageSize);
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
            var page = await AuditLogClient.NewerAsync(_filter, newest);
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

    private string TenantName(Guid id) => _tenants.TryGetValue(id, out var name) ? name : id.ToString()[..8];

    public void Dispose() => _tail?.Dispose();
}
