using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Microsoft.Extensions.Hosting;

// ASP.NET Core reports a query value or body it cannot bind as a BadHttpRequestException (RouteHandlerOptions.ThrowOnBadRequest
// is on in every environment, see Extensions). This answers it as the 4xx it is, naming the parameter, without echoing
// the value and without a log line (handled exceptions are not logged by the middleware), so a hostile value never
// reaches a log.
internal sealed partial class BadRequestHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        var field = FieldOf(bad);
        httpContext.Response.StatusCode = bad.StatusCode;
        var problem = new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails =
            {
                Status = bad.StatusCode,
                Title = bad.StatusCode == StatusCodes.Status400BadRequest ? "Bad request" : "Request refused",
                Detail = field is null ? "The request could not be read." : $"{field}: {Reason(bad)}",
            },
        };
        if (field is not null)
        {
            problem.ProblemDetails.Extensions["field"] = field;
            problem.ProblemDetails.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [Reason(bad)] };
        }

        return await problems.TryWriteAsync(problem);
    }

    /// <summary>The parameter (query key, or the JSON path of a body member) the framework could not bind.</summary>
    private static string? FieldOf(BadHttpRequestException bad)
    {
        if (bad.InnerException is JsonException { Path: { Length: > 1 } path })
        {
            return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
        }

        // The framework's messages name the parameter as "Type name"; only the name is kept.
        var match = ParameterPattern().Match(bad.Message);
        if (!match.Success)
        {
            return null;
        }

        var name = match.Groups["name"].Value;
        return char.ToLowerInvariant(name[0]) + name[1..];
    }

    private static string Reason(BadHttpRequestException bad) => bad.Message switch
    {
        var m when m.StartsWith("Required parameter", StringComparison.Ordinal) => "is required.",
        var m when m.Contains("request body as JSON", StringComparison.Ordinal) => "is not valid JSON for this field.",
        var m when m.StartsWith("Failed to bind parameter", StringComparison.Ordinal) => $"is not a valid {TypeOf(m)}.",
        _ => "could not be read.",
    };

    private static string TypeOf(string message)
    {
        var match = ParameterPattern().Match(message);
        return match.Success ? match.Groups["type"].Value.TrimEnd('?') : "value";
    }

    [GeneratedRegex("parameter \"(?<type>[^\" ]+) (?<name>[A-Za-z_][A-Za-z0-9_]*)\"")]
    private static partial Regex ParameterPattern();
}
