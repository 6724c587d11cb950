using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dashboard.Auth;

namespace Dashboard.Clients;

/// <summary>The Api, called as the signed-in user (their bearer token, attached here on the server).</summary>
public sealed class ApiClient(HttpClient http, CurrentSession session)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<T?> GetAsync<T>(string path, CancellationToken ct = default)
    {
        using var request = await AuthorizedAsync(HttpMethod.Get, path, null, ct);
        using var response = await http.SendAsync(request, ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return default;
        }

        await ApiException.ThrowIfFailedAsync(response, ct);
        return await response.Content.ReadFromJsonAsync<T>(Json, ct);
    }

    public async Task<T?> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken ct = default)
    {
        using var request = await AuthorizedAsync(method, path, body, ct);
        using var response = await http.SendAsync(request, ct);
        await ApiException.ThrowIfFailedAsync(response, ct);
        return response.StatusCode == HttpStatusCode.NoContent ? default : await response.Content.ReadFromJsonAsync<T>(Json, ct);
    }

    private async Task<HttpRequestMessage> AuthorizedAsync(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        var current = await session.GetAsync(ct) ?? throw new ApiException(HttpStatusCode.Unauthorized, "You are signed out.");
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new("Bearer", current.AccessToken);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Json);
        }

        return request;
    }
}

/// <summary>A failed call, carrying the problem details' title/detail for the page to show.</summary>
public sealed class ApiException(HttpStatusCode status, string message) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;

    public static async Task ThrowIfFailedAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var detail = $"{(int)response.StatusCode} {response.ReasonPhrase}";
        if (response.Content.Headers.ContentType?.MediaType == "application/problem+json")
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            detail = problem.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()!
                : problem.TryGetProperty("title", out var t) ? t.GetString()! : detail;
        }

        throw new ApiException(response.StatusCode, detail);
    }
}
