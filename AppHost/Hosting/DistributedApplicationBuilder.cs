using Microsoft.Extensions.Configuration;

namespace AppHost.Hosting;

/// <summary>Our stand-in for Aspire's builder: the same declarative shape, run by our own orchestrator.</summary>
public sealed class DistributedApplicationBuilder
{
    private DistributedApplicationBuilder(string[] args)
    {
        Configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();
        RepositoryRoot = Configuration["AppHost:RepositoryRoot"] ?? FindRepositoryRoot();
        var dataDirectory = Path.GetFullPath(Configuration["AppHost:DataDirectory"] ?? Path.Combine(RepositoryRoot, ".data"));
        Context = new AppHostContext(RepositoryRoot, dataDirectory, Configuration["AppHost:Environment"] ?? "Development",
            new ConsoleOutput(Console.Out), new SecretStore(Path.Combine(dataDirectory, "secrets.json")));
    }

    public IConfiguration Configuration { get; }
    public string RepositoryRoot { get; }
    public AppHostContext Context { get; }

    public static DistributedApplicationBuilder CreateBuilder(string[] args) => new(args);

    public ResourceBuilder<T> AddResource<T>(T resource) where T : Resource
    {
        Context.Resources.Add(resource);
        return new ResourceBuilder<T>(resource, this);
    }

    /// <summary>A resource's port: its default, unless Ports:{name} says otherwise (tests run on free ports).</summary>
    public int PortFor(string name, int defaultPort) => Configuration.GetValue($"Ports:{name}", defaultPort);

    public DistributedApplication Build() => new(Context);

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Aspire.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}

public sealed class ResourceBuilder<T>(T resource, DistributedApplicationBuilder builder) where T : Resource
{
    public T Resource { get; } = resource;
    public DistributedApplicationBuilder ApplicationBuilder { get; } = builder;

    /// <summary>Gives this resource the other's connection string or endpoint, as Aspire's environment contract names them.</summary>
    public ResourceBuilder<T> WithReference<TOther>(ResourceBuilder<TOther> other) where TOther : Resource, IResourceWithEnvironmentContribution
    {
        Resource.EnvironmentCallbacks.Add(other.Resource.ContributeTo);
        return this;
    }

    /// <summary>This resource starts only after the other is healthy.</summary>
    public ResourceBuilder<T> WaitFor<TOther>(ResourceBuilder<TOther> other) where TOther : Resource
    {
        Resource.WaitsFor.Add(other.Resource);
        return this;
    }

    public ResourceBuilder<T> WithEnvironment(string key, Func<string> value)
    {
        Resource.EnvironmentCallbacks.Add(env => env[key] = value());
        return this;
    }

    public ResourceBuilder<T> WithEnvironment(string key, string value) => WithEnvironment(key, () => value);
}
