using System.Text;
using Api.Contracts;
using AppHost.Observability;
using AppHost.Seeding;

namespace AppHost;

/// <summary>
/// Once every service is healthy, the console says in one block what a person needs: the URLs to open, what is not
/// installed and what that disables, and the seeded sign-ins.
/// </summary>
public static class StartupSummary
{
    public static void AddStartupSummary(this IDistributedApplicationBuilder builder, IResourceBuilder<ProjectResource> api,
        string? manualTenant, params IResourceBuilder<IResource>[] shown)
    {
        builder.Eventing.Subscribe<AfterResourcesCreatedEvent>((e, ct) =>
        {
            var notifications = e.Services.GetRequiredService<ResourceNotificationService>();
            var stopping = e.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            _ = Task.Run(() => ReportFailuresAsync(notifications, stopping), CancellationToken.None);
            _ = Task.Run(async () =>
            {
                try
                {
                    foreach (var service in builder.Resources.OfType<ProjectResource>())
                    {
                        await notifications.WaitForResourceHealthyAsync(service.Name, stopping);
                    }

                    // Every address the block lists answers by then, and nothing is still being launched when a person
                    // presses Ctrl+C after reading it (Alertmanager starts only once the Api is healthy). One that failed
                    // is not waited for: the console has said so already.
                    foreach (var resource in shown.Where(s => s.Resource is IResourceWithEndpoints and not ProjectResource))
                    {
                        await notifications.WaitForResourceAsync(resource.Resource.Name, e =>
                            e.Snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy
                            || e.Snapshot.State?.Text is { } state && (state == KnownResourceStates.FailedToStart || KnownResourceStates.TerminalStates.Contains(state)),
                            stopping);
                    }

                    Console.Out.Write(await WriteAsync(e.Services, api.Resource, manualTenant, shown.Select(s => s.Resource), stopping));
                }
                catch (OperationCanceledException)
                {
                    // Stopped before everything was up: nothing to announce.
                }
            }, CancellationToken.None);
            return Task.CompletedTask;
        });
    }

    /// <summary>A resource that fails to start says so on the console too, not only on the Aspire dashboard.</summary>
    private static async Task ReportFailuresAsync(ResourceNotificationService notifications, CancellationToken ct)
    {
        var reported = new HashSet<string>();
        try
        {
            await foreach (var update in notifications.WatchAsync(ct))
            {
                if (update.Snapshot.State?.Text == KnownResourceStates.FailedToStart && reported.Add(update.Resource.Name))
                {
                    var reason = update.Snapshot.Properties.FirstOrDefault(p => p.Name == FailureProperty)?.Value as string;
                    await Console.Error.WriteLineAsync($"{update.Resource.Name} failed to start{(reason is null ? "" : $": {reason}")}. " +
                        "Its logs are on the Aspire dashboard; what depends on it waits.");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The AppHost is stopping.
        }
    }

    /// <summary>The snapshot property a custom resource sets to say why it failed to start.</summary>
    public const string FailureProperty = "failure";

    private static async Task<string> WriteAsync(IServiceProvider services, ProjectResource api, string? manualTenant,
        IEnumerable<IResource> shown, CancellationToken ct)
    {
        var text = new StringBuilder().AppendLine().AppendLine("Ready. Open:");
        foreach (var resource in shown)
        {
            text.AppendLine(resource switch
            {
                NotInstalledResource missing => $"  {missing.Name,-17} not installed: {missing.Absence}",
                IResourceWithEndpoints withEndpoints => $"  {resource.Name,-17} {withEndpoints.GetEndpoint("http").Url}",
                _ => $"  {resource.Name}",
            });
        }

        if (AspireDashboard.Url(services) is { } dashboard)
        {
            text.AppendLine($"  {"aspire dashboard",-17} {dashboard}   (resources, traces, structured logs, metrics)");
        }

        text.AppendLine().AppendLine("Seeded sign-ins (passwords are generated once and kept in the AppHost's user secrets):");
        foreach (var user in api.Annotations.OfType<SeededUser>())
        {
            var scope = user.Tenant ?? (user.SupportTenants.Length > 0 ? string.Join(", ", user.SupportTenants) : null);
            text.AppendLine($"  {user.Role,-13} {user.Email,-26} {await user.Password.GetValueAsync(ct)}{(scope is null ? "" : $"   ({scope})")}");
        }

        if (api.Annotations.OfType<SeededUser>().FirstOrDefault(u => u.Tenant == manualTenant && u.Role == Roles.TenantAdmin) is { } approver)
        {
            text.AppendLine().AppendLine($"The traffic generator leaves {manualTenant}'s activities waiting: approve them by hand as {approver.Email}.");
        }

        return text.AppendLine().ToString();
    }
}
