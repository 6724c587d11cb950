using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Microsoft.Extensions.Hosting;

// An unhandled exception marks the request's span as an error and answers with problem details,
// never with a stack trace. Returning false lets the problem-details writer produce the body.
internal sealed class TracingExceptionHandler : IExceptionHandler
{
    public ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        Activity.Current?.SetError(exception);
        return ValueTask.FromResult(false);
    }
}
