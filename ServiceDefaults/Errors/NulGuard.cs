using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Refuses a NUL character anywhere in the path or the query string with 400 naming the parameter. No endpoint
/// has a use for one, and PostgreSQL text cannot hold it, so without this a filter such as <c>?q=%00</c> would reach
/// the database and fail there.
/// </summary>
public static class NulGuard
{
    public static IApplicationBuilder UseNulGuard(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (Offending(context.Request) is { } field)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails =
                {
                    Status = StatusCodes.Status400BadRequest,
                    Title = "Bad request",
                    Detail = $"{field}: must not contain a NUL character.",
                    Extensions = { ["field"] = field, ["errors"] = new Dictionary<string, string[]> { [field] = ["must not contain a NUL character."] } },
                },
            });
            return;
        }

        await next(context);
    });

    private static string? Offending(HttpRequest request)
    {
        if (request.Path.Value?.Contains('\0', StringComparison.Ordinal) == true)
        {
            return "path";
        }

        foreach (var (key, values) in request.Query)
        {
            if (key.Contains('\0', StringComparison.Ordinal) || values.Any(v => v?.Contains('\0', StringComparison.Ordinal) == true))
            {
                return key.Replace("\0", "", StringComparison.Ordinal);
            }
        }

        return null;
    }
}
