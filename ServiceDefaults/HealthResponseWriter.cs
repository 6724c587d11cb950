using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.Hosting;

// Anyone may ask whether a service is up; only Development or an operator (the service's HealthDetailsPolicy)
// learns which check failed and why, since check names and exception text describe the inside of the system.
internal static class HealthResponseWriter
{
    public static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        if (report.Status == HealthStatus.Unhealthy)
        {
            context.Response.Headers.RetryAfter = DependencyOutage.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        }

        var body = await ShowsDetailsAsync(context) ? HealthResponse.WithChecks(report) : HealthResponse.StatusOnly(report);
        await context.Response.WriteAsJsonAsync(body, context.RequestAborted);
    }

    private static async Task<bool> ShowsDetailsAsync(HttpContext context)
    {
        var services = context.RequestServices;
        if (services.GetRequiredService<IHostEnvironment>().IsDevelopment())
        {
            return true;
        }

        if (services.GetService<IAuthorizationPolicyProvider>() is not { } policies
            || await policies.GetPolicyAsync(Extensions.HealthDetailsPolicy) is not { } policy
            || services.GetService<IPolicyEvaluator>() is not { } evaluator)
        {
            return false;
        }

        try
        {
            var authentication = await evaluator.AuthenticateAsync(policy, context);
            return (await evaluator.AuthorizeAsync(policy, authentication, context, context)).Succeeded;
        }
        catch (Exception ex) when (DependencyOutage.Of(ex) is not null)
        {
            // The caller cannot be identified while a dependency is down: the status still answers.
            return false;
        }
    }
}
