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

    /// <summary>The repository root, where the observability stack's configuration lives.</summary>
    public static string RepositoryRoot(this IDistributedApplicationBuilder builder) =>
        Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."));
}
