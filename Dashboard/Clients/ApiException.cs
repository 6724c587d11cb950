using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Dashboard.Clients;

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
            // A validation problem names each field and its reason: people read those, not the generic title.
            detail = problem.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()!
                : problem.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object
                    ? string.Join(" ", errors.EnumerateObject().SelectMany(e => e.Value.EnumerateArray().Select(m => $"{e.Name}: {m.GetString()}")))
                : problem.TryGetProperty("title", out var t) ? t.GetString()! : detail;
        }

        throw new ApiException(response.StatusCode, detail);
    }
}
