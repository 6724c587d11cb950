using System.Net;
using System.Net.Http.Json;
using Dashboard.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Dashboard.Clients;

/// <summary>The Api's identity endpoints: sign-in, refresh, sign-out and the public keys.</summary>
public sealed class IdentityClient(HttpClient http, IOptions<DashboardOptions> options)
{
    /// <summary>
    /// Signs in on behalf of the browser: its address (with the secret that makes the Api trust it) and user agent go
    /// along, for rate limits and the audit log.
    /// </summary>
    public async Task<TokenResponse?> SignInAsync(string email, string password, string? clientAddress, string? userAgent, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/sign-in") { Content = JsonContent.Create(new SignInRequest(email, password)) };
        if (clientAddress is not null && options.Value.ProxySecret is { } secret)
        {
            request.Headers.Add(ForwardedForHeaders.Address, clientAddress);
            request.Headers.Add(ForwardedForHeaders.Secret, secret);
        }

        if (!string.IsNullOrEmpty(userAgent))
        {
            request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        }

        using var response = await http.SendAsync(request, ct);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest)
        {
            return null;
        }

        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            throw new SignInThrottledException();
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<TokenResponse>(ct);
    }

    /// <summary>Sets an invited member's password with their one-time code and signs them in; the Api's refusal as an <see cref="ApiException"/>.</summary>
    public async Task<TokenResponse> AcceptInvitationAsync(string code, string password, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync("/api/auth/accept-invitation", new AcceptInvitationRequest(code, password), ct);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            throw new SignInThrottledException();
        }

        await ApiException.ThrowIfFailedAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync<TokenResponse>(ct))!;
    }

    public async Task<TokenResponse?> RefreshAsync(string refreshToken, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync("/api/auth/refresh", new RefreshRequest(refreshToken), ct);
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<TokenResponse>(ct) : null;
    }

    public async Task SignOutAsync(string accessToken, string? refreshToken, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/sign-out") { Content = JsonContent.Create(new RefreshRequest(refreshToken)) };
        request.Headers.Authorization = new("Bearer", accessToken);
        using var _ = await http.SendAsync(request, ct);
    }

    public async Task<JsonWebKeySet> JwksAsync(CancellationToken ct) =>
        new(await http.GetStringAsync("/.well-known/jwks.json", ct));
}

public sealed class SignInThrottledException() : Exception("Too many sign-in attempts.");
