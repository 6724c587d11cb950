using System.Security.Claims;
using Microsoft.AspNetCore.Diagnostics;

namespace Api.Extensions;

/// <summary>
/// An unhandled exception in a request that changes something (any method but GET, HEAD, OPTIONS) leaves the change in
/// an unknown state: it is recorded as a critical audit entry, which the CriticalAuditEntry alert pages on. It answers
/// nothing itself, so the problem-details writer still produces the 500 body; the framework logs the exception once.
/// </summary>
internal sealed class FailedWriteAudit(IAuditLog audit) : IExceptionHandler
{
    public ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var request = httpContext.Request;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !HttpMethods.IsOptions(request.Method))
        {
            // The handler runs after the middleware has cleared the endpoint; the feature keeps the one that failed.
            var route = (httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
            audit.Record(new AuditRecord
            {
                Action = "request.write_failed",
                Severity = "critical",
                // The caller's tenant; a super admin's or an anonymous request's failure goes to the platform's log.
                TenantId = Guid.TryParse(httpContext.User.FindFirstValue(TokenClaims.Tenant), out var tenant) ? tenant : AuditTenants.Platform,
                ResourceType = "endpoint",
                ResourceId = $"{request.Method} {route}",
                Description = $"{request.Method} {route} failed with an unhandled {exception.GetType().Name}; the change may be incomplete",
                Error = exception,
            });
        }

        return ValueTask.FromResult(false);
    }
}
