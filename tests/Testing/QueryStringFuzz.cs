using System.Net;
using System.Reflection;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Testing;

/// <summary>
/// Hostile query strings against every endpoint a service maps: each query parameter its handler binds (found by
/// reflection, [AsParameters] classes opened up) gets each hostile value, and every answer must be a 4xx problem
/// (or a success), never a 5xx. Endpoints are read from the running service, so a new one is fuzzed without a change here.
/// </summary>
public static class QueryStringFuzz
{
    /// <summary>Values as they appear in the query string (already percent-encoded where needed).</summary>
    public static readonly string[] HostileValues =
    [
        "garbage", "", "%00", "a%00b", "%0d%0aservice%20%7C%20crit%3A%20FORGED", "-1", "0", "99999999999999999999", "1e309", "NaN",
        "%27%20OR%201%3D1--", "%27%3B%20DROP%20TABLE%20audit_events%3B--", new string('a', 5000), "%ff%fe", "2026-13-45T99:99:99Z",
        "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "..%2F..%2Fetc%2Fpasswd", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "%E2%80%A8",
        "00000000-0000-0000-0000-000000000000", "true", "%5B%5D",
    ];

    public sealed record Target(string Method, string Path, IReadOnlyList<string> QueryNames);

    /// <summary>Every endpoint of the service, route parameters filled with a fresh id, with the query names its handler binds.</summary>
    public static IReadOnlyList<Target> Targets(IServiceProvider services)
    {
        var targets = new List<Target>();
        foreach (var endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            var handler = endpoint.Metadata.GetMetadata<MethodInfo>();
            var names = handler is null ? [] : QueryNamesOf(handler);
            var path = string.Concat(endpoint.RoutePattern.PathSegments.Select(segment => "/" + string.Concat(segment.Parts.Select(part => part switch
            {
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart => Guid.CreateVersion7().ToString(),
                _ => "",
            }))));
            targets.AddRange(methods.Where(m => m != "OPTIONS").Select(method => new Target(method, path.Length == 0 ? "/" : path, names)));
        }

        return targets;
    }

    /// <summary>Sends every hostile value for every query name (and one unknown name) to every target; answers what went wrong.</summary>
    public static async Task<List<string>> RunAsync(HttpClient client, IEnumerable<Target> targets, CancellationToken ct)
    {
        var failures = new List<string>();
        foreach (var target in targets)
        {
            foreach (var name in target.QueryNames.Append("unknownParameter"))
            {
                foreach (var value in HostileValues)
                {
                    var query = $"{target.Path}?{name}={value}";
                    using var request = new HttpRequestMessage(new HttpMethod(target.Method), query);
                    if (target.Method is "POST" or "PUT" or "PATCH")
                    {
                        request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                    }

                    using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
                    var status = (int)response.StatusCode;
                    if (status >= 500)
                    {
                        failures.Add($"{target.Method} {Shorten(query)} → {status}");
                    }
                    else if (status >= 400 && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                    {
                        failures.Add($"{target.Method} {Shorten(query)} → {status} as {response.Content.Headers.ContentType?.MediaType ?? "no body"}");
                    }
                }
            }
        }

        return failures;
    }

    private static string Shorten(string query) => query.Length > 160 ? query[..160] + "…" : query;

    private static List<string> QueryNamesOf(MethodInfo handler)
    {
        var names = new List<string>();
        foreach (var parameter in handler.GetParameters())
        {
            if (parameter.GetCustomAttributes().Any(a => a.GetType().Name == "AsParametersAttribute"))
            {
                names.AddRange(parameter.ParameterType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                    .Where(p => p.CanWrite && IsSimple(p.PropertyType)).Select(p => Camel(p.Name)));
            }
            else if (IsSimple(parameter.ParameterType) && parameter.ParameterType != typeof(CancellationToken))
            {
                names.Add(Camel(parameter.Name!));
            }
        }

        return names.Distinct().ToList();
    }

    private static bool IsSimple(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(Guid) || t == typeof(decimal)
            || t == typeof(DateTimeOffset) || t == typeof(DateTime) || t == typeof(DateOnly) || t == typeof(TimeSpan);
    }

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}
