namespace AuditService.Data;

/// <summary>
/// Which tenants' rows a unit of work sees and may write: a list of tenants, or every tenant (the platform scope, named
/// as such where it is used). Row-level security enforces it (Migrations/0001_audit_log.sql, audit_tenant_visible); for
/// a request it is built once, from the reader's token or API key (Auth/ReaderScope.cs).
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
    /// Every tenant's rows: for work that is not on behalf of one tenant (the writer's lanes, checkpoints, retention,
    /// super admins and platform keys). Each use says why.
    /// </summary>
    public static TenantScope Platform { get; } = new(true, []);

    public static TenantScope Of(Guid tenant) => new(false, [tenant]);

    /// <summary>The given tenants' rows; an empty list sees nothing.</summary>
    public static TenantScope Of(IEnumerable<Guid> tenants) => new(false, [.. tenants.Distinct()]);

    public bool AllTenants { get; }

    public IReadOnlyList<Guid> Tenants => _tenants;

    /// <summary>A list of no tenants: every query under it would answer nothing, so callers skip the database.</summary>
    public bool SeesNothing => !AllTenants && _tenants.Length == 0;

    /// <summary>The tenants as audit_scope takes them.</summary>
    internal string Csv { get; }

    public bool Allows(Guid tenant) => AllTenants || _tenants.Contains(tenant);

    /// <summary>Narrowed to one requested tenant (no tenant: unchanged); null when that tenant is outside the scope.</summary>
    public TenantScope? Narrow(Guid? tenant) => tenant is not { } id ? this : Allows(id) ? Of(id) : null;
}
