namespace AppHost.Observability;

/// <summary>A tool of the stack whose binary is not on this machine: shown on the dashboard with what its absence disables.</summary>
public sealed class NotInstalledResource(string name, string absence) : Resource(name)
{
    public string Absence { get; } = absence;
}

public static class NotInstalledExtensions
{
    public static IResourceBuilder<IResource> AddNotInstalled(this IDistributedApplicationBuilder builder, string name, string absence) =>
        builder.AddResource(new NotInstalledResource(name, absence))
            .ExcludeFromManifest()
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "Executable",
                State = new ResourceStateSnapshot("Not installed", KnownResourceStateStyles.Warn),
                Properties = [new("absence", absence)],
            });
}
