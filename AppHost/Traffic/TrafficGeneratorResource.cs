using AppHost.Seeding;
using Microsoft.Extensions.Logging;

namespace AppHost.Traffic;

/// <summary>
/// Runs inside the AppHost: signs in as the Api's seeded users and keeps the agent pipeline busy, so every
/// dashboard has data within a minute. Paused and resumed from the Aspire dashboard; off with
/// --AppHost:TrafficGenerator=false.
/// </summary>
public sealed class TrafficGeneratorResource(string name, ProjectResource api, string? manualTenant) : Resource(name)
{
    public ProjectResource Api { get; } = api;

    /// <summary>The seeded tenant whose activities wait for a person to approve them.</summary>
    public string? ManualTenant { get; } = manualTenant;

    public TrafficGenerator? Generator { get; set; }
}

public static class TrafficExtensions
{
    private const string Paused = "Paused";

    public static IResourceBuilder<TrafficGeneratorResource> AddTrafficGenerator(this IDistributedApplicationBuilder builder, string name,
        IResourceBuilder<ProjectResource> api, string? manualTenant)
    {
        var traffic = builder.AddResource(new TrafficGeneratorResource(name, api.Resource, manualTenant))
            .ExcludeFromManifest()
            .WithParentRelationship(api)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "TrafficGenerator",
                State = KnownResourceStates.NotStarted,
                Properties = [new("manual tenant", manualTenant ?? "none")],
            })
            .WithCommand("pause", "Pause traffic", context => SetPausedAsync(context, true), new CommandOptions
            {
                IconName = "Pause",
                UpdateState = c => c.ResourceSnapshot.State?.Text == KnownResourceStates.Running ? ResourceCommandState.Enabled : ResourceCommandState.Disabled,
            })
            .WithCommand("resume", "Resume traffic", context => SetPausedAsync(context, false), new CommandOptions
            {
                IconName = "Play",
                UpdateState = c => c.ResourceSnapshot.State?.Text == Paused ? ResourceCommandState.Enabled : ResourceCommandState.Disabled,
            });

        builder.Eventing.Subscribe<InitializeResourceEvent>(traffic.Resource, async (e, ct) =>
        {
            var resource = (TrafficGeneratorResource)e.Resource;
            if (!builder.Configuration.GetValue("AppHost:TrafficGenerator", true))
            {
                await e.Notifications.PublishUpdateAsync(resource, s => s with { State = new ResourceStateSnapshot("Disabled", KnownResourceStateStyles.Info) });
                return;
            }

            await e.Notifications.PublishUpdateAsync(resource, s => s with { State = KnownResourceStates.Waiting });
            await e.Notifications.WaitForResourceHealthyAsync(resource.Api.Name, ct);
            var users = new List<TrafficUser>();
            foreach (var user in resource.Api.Annotations.OfType<SeededUser>())
            {
                users.Add(new TrafficUser(user.Email, await user.Password.GetValueAsync(ct) ?? "", user.Role, user.Tenant));
            }

            var interval = builder.Configuration.GetValue("AppHost:TrafficInterval", TimeSpan.FromSeconds(3));
            resource.Generator = new TrafficGenerator(new Uri(resource.Api.GetEndpoint("http").Url), users, resource.ManualTenant, interval,
                e.Logger.Note);
            await e.Notifications.PublishUpdateAsync(resource, s => s with { State = KnownResourceStates.Running, StartTimeStamp = DateTime.UtcNow });
            await resource.Generator.RunAsync(ct);
        });
        return traffic;
    }

    private static async Task<ExecuteCommandResult> SetPausedAsync(ExecuteCommandContext context, bool paused)
    {
        var model = context.Services.GetRequiredService<DistributedApplicationModel>();
        var resource = model.Resources.OfType<TrafficGeneratorResource>().Single(r => r.Name == context.ResourceName);
        if (resource.Generator is not { } generator)
        {
            return CommandResults.Failure("The traffic generator has not started yet.");
        }

        generator.Paused = paused;
        await context.Services.GetRequiredService<ResourceNotificationService>().PublishUpdateAsync(resource, s => s with
        {
            State = paused ? new ResourceStateSnapshot(Paused, KnownResourceStateStyles.Info) : KnownResourceStates.Running,
        });
        context.Logger.TrafficState(paused ? "paused" : "resumed");
        return CommandResults.Success();
    }
}
