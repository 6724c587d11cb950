namespace Tenancy;

/// <summary>
/// Which tenants' rows a unit of work sees and may write: a list of tenants, or every tenant (the platform scope, named
/// as such where it is used). Both services' databases enforce it with row-level security; for a request it is built
/// once, from the signed-in user (the Api's <c>Caller</c>) or the reader's token or API key (AuditService's
/// <c>ReaderScope</c>).
/// </summary>
public sealed class TenantScope
{
    private readonly Guid[] _tenants;

    private TenantScope(bool allTenants, Guid[] tenants)
    {
        AllTenants = allTenants;
        _tenants = tenants;
        Csv = string.Join(',', tenants);
    }

    /// <summary>
    /// Every tenant's rows: for work that is not on behalf of one tenant (sign-in before any tenant is known, background
    /// work and jobs across tenants, AuditService's writer lanes, super admins and platform keys). Each use says why.
    /// </summary>
    public static TenantScope Platform { get; } = new(true, []);

    public static TenantScope Of(Guid tenant) => new(false, [tenant]);

    /// <summary>The given tenants' rows; an empty list sees nothing.</summary>
    public static TenantScope Of(IEnumerable<Guid> tenants) => new(false, [.. tenants.Distinct()]);

    /// <summary>The scope a row lives in: its tenant's, or the platform's for a row without one (staff, platform-level feedback).</summary>
    public static TenantScope OwnedBy(Guid? tenant) => tenant is { } id ? Of(id) : Platform;

    public bool AllTenants { get; }

    public IReadOnlyList<Guid> Tenants => _tenants;

    /// <summary>A list of no tenants: every query under it would answer nothing, so callers may skip the database.</summary>
    public bool SeesNothing => !AllTenants && _tenants.Length == 0;

    /// <summary>The tenants as the databases' scope procedures take them.</summary>
    internal string Csv { get; }

    internal Guid[] TenantArray => _tenants;

    /// <summary>Whether a row of this tenant is in scope; a row without a tenant (platform-level) only is in the platform scope.</summary>
    public bool Allows(Guid? tenant) => AllTenants || (tenant is { } id && _tenants.Contains(id));

    /// <summary>Narrowed to one requested tenant (no tenant: unchanged); null when that tenant is outside the scope.</summary>
    public TenantScope? Narrow(Guid? tenant) => tenant is not { } id ? this : Allows(id) ? Of(id) : null;
}
