namespace Dashboard.Time;

/// <summary>
/// The zone a reader sees times in: their tenant's time-zone setting, else their browser's (the <see cref="CookieName"/>
/// cookie app.js keeps), else UTC. Resolved once per scope: the prerender's request, or the interactive circuit.
/// </summary>
public sealed class ReaderTimeZone(CurrentSession session, TenantsClient tenants)
{
    public const string CookieName = "dashboard.tz";

    private TimeZoneInfo? _zone;
    private Task<TimeZoneInfo>? _resolving;

    /// <summary>The browser's IANA zone; Routes sets it from the cookie (prerender) or its root parameter (circuit).</summary>
    public string? BrowserZoneId { get; set; }

    /// <summary>
    /// The reader's zone, looked up once per scope: every caller until it is known (a page, each time on it) shares the
    /// one look-up rather than asking the Api for the tenant's setting each.
    /// </summary>
    public Task<TimeZoneInfo> GetAsync() => _zone is { } known ? Task.FromResult(known) : _resolving ??= ResolveAsync();

    private async Task<TimeZoneInfo> ResolveAsync()
    {
        string? tenantZone = null;
        if ((await session.UserAsync())?.TenantId is { } tenant)
        {
            try
            {
                tenantZone = (await tenants.GetAsync(tenant))?.Settings.Timezone;
            }
            catch (Exception ex) when (ex is ApiException or HttpRequestException or TaskCanceledException)
            {
                // The browser's zone (or UTC) still reads correctly, with the zone named beside the times.
            }
        }

        return _zone = Find(tenantZone) ?? Find(BrowserZoneId) ?? TimeZoneInfo.Utc;
    }

    /// <summary>A zone resolved earlier (the prerender's, carried into the circuit), so it is not looked up again.</summary>
    public void Use(string zoneId) => _zone = Find(zoneId) ?? _zone;

    private static TimeZoneInfo? Find(string? id) =>
        id is { Length: > 0 and <= 64 } && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null;
}
