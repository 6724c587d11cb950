namespace AuditService.Auth;

/// <summary>How the Api's bearer tokens are checked: its JWKS, fetched lazily and refreshed, never at start-up.</summary>
public sealed class TokenOptions
{
    public const string SectionName = "Tokens";

    [Required]
    public string JwksUrl { get; set; } = $"http://{ServiceNames.Api}/.well-known/jwks.json";

    [Required]
    public string Issuer { get; set; } = ApiTokens.Issuer;

    [Required]
    public string Audience { get; set; } = ApiTokens.Audience;

    /// <summary>How often the key set is fetched again, so a rotated key is picked up.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(10);
}
