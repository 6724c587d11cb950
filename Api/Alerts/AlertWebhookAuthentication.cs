using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;

namespace Api.Alerts;

/// <summary>
/// The alert webhook's caller is Alertmanager, not a user: it proves itself with the shared secret as a bearer token
/// (http_config.authorization in alertmanager.yml). An authentication scheme of its own, so the check runs before the
/// body is read and the endpoint accepts nothing else (the users' JWTs included).
/// </summary>
public sealed class AlertWebhookAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> schemes, ILoggerFactory logger, UrlEncoder encoder, IOptions<AlertWebhookOptions> webhook)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemes, logger, encoder)
{
    public const string SchemeName = "AlertWebhook";

    private readonly byte[] _secretHash = SHA256.HashData(Encoding.UTF8.GetBytes(webhook.Value.Secret));

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        // Hashes of equal length, compared in constant time: the answer's timing says nothing about the secret.
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim()));
        if (!CryptographicOperations.FixedTimeEquals(presented, _secretHash))
        {
            return Task.FromResult(AuthenticateResult.Fail("The alert webhook secret does not match."));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "alertmanager")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return base.HandleChallengeAsync(properties);
    }
}
