using System.ComponentModel.DataAnnotations;

namespace Dashboard.Extensions;

public sealed class DashboardOptions
{
    public const string SectionName = "Dashboard";

    /// <summary>The Api, resolved by service discovery.</summary>
    [Required]
    public Uri ApiEndpoint { get; set; } = new($"https+http://{ServiceNames.Api}");

    [Required]
    public Uri AuditServiceEndpoint { get; set; } = new($"https+http://{ServiceNames.AuditService}");

    /// <summary>JWT issuer and audience the Api signs tokens for.</summary>
    [Required]
    public string TokenIssuer { get; set; } = ApiTokens.Issuer;

    [Required]
    public string TokenAudience { get; set; } = ApiTokens.Audience;

    /// <summary>
    /// The secret the Api's ForwardedFor:ProxySecret holds: sent with each sign-in so that the Api trusts the browser's
    /// address this Dashboard forwards. Unset, no address is forwarded and the Api sees every sign-in as the Dashboard's.
    /// </summary>
    [MinLength(32)]
    public string? ProxySecret { get; set; }
}
