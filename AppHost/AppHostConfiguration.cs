namespace AppHost;

/// <summary>The AppHost's own settings: ports (--Ports:{resource}) and the data folder (--AppHost:DataDirectory).</summary>
public static class AppHostConfiguration
{
    /// <summary>The port a resource listens on: its default, or --Ports:{name}={port} (the tests pass free ports).</summary>
    public static int PortFor(this IDistributedApplicationBuilder builder, string name, int defaultPort) =>
        builder.Configuration.GetValue($"Ports:{name}", defaultPort);

    /// <summary>The git-ignored folder for local state (the PostgreSQL cluster, Prometheus's data): .data at the repository root.</summary>
    public static string DataDirectory(this IDistributedApplicationBuilder builder) =>
        Path.GetFullPath(builder.Configuration["AppHost:DataDirectory"] is { Length: > 0 } configured
            ? configured
            : Path.Combine(builder.AppHostDirectory, "..", ".data"));

    /// <summary>
    /// A service of this repository on its fixed local port (--Ports:{name} moves it), run in the AppHost's own
    /// environment (Development under `dotnet run`): the services have no launch profiles of their own, and from a
    /// build output only Development serves the static web assets of their packages.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithLocalPort(this IResourceBuilder<ProjectResource> project, int port)
    {
        var builder = project.ApplicationBuilder;
        return project.WithHttpEndpoint(port: builder.PortFor(project.Resource.Name, port))
            .WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName);
    }

    /// <summary>The repository root, where the observability stack's configuration lives.</summary>
    public static string RepositoryRoot(this IDistributedApplicationBuilder builder) =>
        Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."));
}
