namespace AuditService.ApiKeys;

/// <summary>Keys whose secrets the operator provides (the AppHost generates them on first run).</summary>
public sealed class SeedKeysOptions
{
    public const string SectionName = ApiKeySeed.Section;

    public List<SeedKey> Seed { get; set; } = [];
}

public sealed class SeedKey
{
    [Required]
    public string Name { get; set; } = "";

    [Required]
    public string Key { get; set; } = "";

    public string Scope { get; set; } = ApiKeyScopes.Platform;

    public Guid? TenantId { get; set; }

    /// <summary>Empty means write only. (An array default would be merged with, not replaced by, configuration.)</summary>
    public string[] Permissions { get; set; } = [];
}
