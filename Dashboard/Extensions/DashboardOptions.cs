using System.ComponentModel.DataAnnotations;

namespace Dashboard.Extensions;

public sealed class DashboardOptions
{
    public const string SectionName = "Dashboard";

    /// <summary>The Api, resolved by service discovery.</summary>
    [Required]
    public Uri ApiEndpoint { get; set; } = new("https+http://api");

    [Required]
    public Uri AuditServiceEndpoint { get; set; } = new("https+http://auditservice");

    /// <summary>JWT issuer and audience the Api signs tokens for.</summary>
    [Required]
    public string TokenIssuer { get; set; } = "aspire-observability-api";

    [Required]
    public string TokenAudience { get; set; } = "aspire-observability";
}
