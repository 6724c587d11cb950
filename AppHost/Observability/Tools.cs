namespace AppHost.Observability;

/// <summary>The machine's own binaries, found on PATH.</summary>
public static class Tools
{
    public static string? Find(params string[] names) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(directory => names.Select(name => Path.Combine(directory, name)))
            .FirstOrDefault(File.Exists);

    public static bool IsInstalled(IResourceBuilder<IResource> resource) => resource.Resource is not NotInstalledResource;
}
