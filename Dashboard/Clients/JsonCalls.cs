using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Dashboard.Clients;

/// <summary>How every typed client reads the services' JSON: a failure becomes an <see cref="ApiException"/>.</summary>
internal static class JsonCalls
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Null when the service answers 404, which it also answers for what lies outside the caller's scope.</summary>
    public static async Task<T?> GetOrNullAsync<T>(this HttpClient http, string path, CancellationToken ct) where T : class
    {
        using var response = await http.GetAsync(path, ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await ApiException.ThrowIfFailedAsync(response, ct);
        return await response.Content.ReadFromJsonAsync<T>(Json, ct);
    }

    public static async Task<IReadOnlyList<T>> GetListAsync<T>(this HttpClient http, string path, CancellationToken ct) =>
        await http.GetOrNullAsync<List<T>>(path, ct) ?? [];

    /// <summary>Sends <paramref name="body"/> and answers the record the service returns.</summary>
    public static async Task<T> SendAsync<T>(this HttpClient http, HttpMethod method, string path, object body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body, options: Json) };
        using var response = await http.SendAsync(request, ct);
        await ApiException.ThrowIfFailedAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync<T>(Json, ct))!;
    }
}
