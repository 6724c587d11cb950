using System.Net.Http.Headers;
using System.Net.Http.Json;
using Api.Contracts;

namespace Testing;

/// <summary>
/// Signing in (and a tenant's owner up) to the Api as a client does, for every test and bench. <c>api</c>: the Api's address, for a client
/// whose BaseAddress is not the Api (or has none); without it the request goes to the client's BaseAddress.
/// </summary>
public static class ApiSignIn
{
    private const string Path = "/api/auth/sign-in";

    /// <summary>The Api's answer as it is, for a caller that looks at a refused sign-in.</summary>
    public static Task<HttpResponseMessage> PostSignInAsync(this HttpClient http, string email, string password, Uri? api = null,
        CancellationToken ct = default) =>
        http.PostAsJsonAsync(api is null ? new Uri(Path, UriKind.Relative) : new Uri(api, Path), new SignInRequest(email, password), ct);

    /// <summary>Signs in; throws unless the Api accepts.</summary>
    public static async Task<TokenResponse> SignInAsync(this HttpClient http, string email, string password, Uri? api = null,
        CancellationToken ct = default)
    {
        using var response = await http.PostSignInAsync(email, password, api, ct);
        return await SessionAsync(response, ct);
    }

    /// <summary>Signs a new tenant's owner up; throws unless the Api accepts. Answers the owner's session.</summary>
    public static async Task<TokenResponse> SignUpAsync(this HttpClient http, SignUpRequest request, CancellationToken ct = default)
    {
        using var response = await http.PostAsJsonAsync("/api/auth/sign-up", request, ct);
        return await SessionAsync(response, ct);
    }

    /// <summary>Signs in and sends the access token with every later request of this client; answers the client.</summary>
    public static async Task<HttpClient> SignedInAsync(this HttpClient http, string email, string password, CancellationToken ct = default) =>
        http.WithBearer((await http.SignInAsync(email, password, ct: ct)).AccessToken);

    private static async Task<TokenResponse> SessionAsync(HttpResponseMessage response, CancellationToken ct)
    {
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<TokenResponse>(ct))!;
    }

    /// <summary>Sends the access token with every later request of this client; answers the client.</summary>
    public static HttpClient WithBearer(this HttpClient http, string accessToken)
    {
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return http;
    }
}
