using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

// A dependency outage (the database, an upstream service) is not the caller's fault and not a bug: 503 with
// Retry-After, on every endpoint, whichever code path met it (an authentication handler included).
internal sealed partial class DependencyOutageHandler(IProblemDetailsService problems, ILogger<DependencyOutageHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (DependencyOutage.Of(exception) is not { } dependency)
        {
            return false;
        }

        Activity.Current?.SetError(exception);
        LogOutage(logger, exception, dependency);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = DependencyOutage.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Service unavailable",
                Detail = $"A {dependency} this service needs is unavailable; nothing was changed. Retry after {DependencyOutage.RetryAfterSeconds} s.",
            },
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request answered 503: the {Dependency} is unavailable")]
    private static partial void LogOutage(ILogger logger, Exception exception, string dependency);
}
