namespace Dashboard.Components.Pages;

public sealed partial class Tenants
{
    private UserIdentity? _user;
    private IReadOnlyList<TenantSummary>? _tenants;
    private Dictionary<Guid, TenantCapView> _caps = [];
    private readonly HashSet<Guid> _open = [];
    private string? _error;

    [Inject] public required TenantsClient TenantsClient { get; init; }
    [Inject] public required UsageClient UsageClient { get; init; }
    [Inject] public required CurrentSession Session { get; init; }
    [Inject] public required ISnackbar Snackbar { get; init; }

    protected override async Task OnInitializedAsync()
    {
        _user = await Session.UserAsync();
        if (Loaded is { } loaded)
        {
            (_tenants, _caps) = loaded;
            return;
        }

        await LoadAsync();
    }

    /// <summary>What the prerender loaded, carried into the interactive circuit so it is not loaded twice.</summary>
    [PersistentState]
    public Snapshot? Loaded { get; set; }

    public sealed record Snapshot(IReadOnlyList<TenantSummary> Tenants, Dictionary<Guid, TenantCapView> Caps);

    private async Task LoadAsync()
    {
        try
        {
            _tenants = await TenantsClient.ListAsync();
            _caps = (await UsageClient.CapsAsync(minUtilization: 0)).ToDictionary(c => c.TenantId);
            _error = null;
            Loaded = PrerenderState.IfSmall(new Snapshot(_tenants, _caps));
        }
        catch (Exception ex) when (ex is ApiException or HttpRequestException)
        {
            _error = ex.Message;
        }
    }

    private void Toggle(Guid tenant)
    {
        if (!_open.Remove(tenant))
        {
            _open.Add(tenant);
        }
    }

    /// <summary>Members are managed by the tenant's admins and super admins; support staff look.</summary>
    private bool CanManage(Guid tenant) => _user is { IsSuperAdmin: true } || (_user is { IsTenantAdmin: true } && _user.TenantId == tenant);

    private async Task ChangePlanAsync(TenantSummary tenant, string plan)
    {
        try
        {
            await TenantsClient.ChangePlanAsync(tenant.Id, plan);
            Snackbar.Add($"{tenant.Name} is now on the {plan} plan.", Severity.Success);
            await LoadAsync();
        }
        catch (ApiException ex)
        {
            Snackbar.Add(ex.Message, Severity.Error);
        }
    }
}
