using System.Reflection;

namespace AppHost.Hosting;

/// <summary>
/// One of our .NET services, run from its build output with Aspire's environment contract: URLs,
/// connection strings, service endpoints and OTEL_* variables.
/// </summary>
public sealed class ProjectResource(string name, string projectDirectory, int port) : Resource(name), IResourceWithEnvironmentContribution
{
    private ChildProcess? _process;

    public string ProjectDirectory { get; } = projectDirectory;
    public int Port { get; } = port;
    public string Endpoint => $"http://localhost:{Port}";

    public ChildProcess? Process => _process;

    public override async Task StartAsync(AppHostContext context, CancellationToken ct)
    {
        var projectPath = Path.Combine(context.RepositoryRoot, ProjectDirectory);
        var assembly = Path.Combine(projectPath, "bin", BuildConfiguration, "net10.0", $"{ProjectDirectory}.dll");
        if (!File.Exists(assembly))
        {
            throw new PrerequisiteException($"{assembly} is not built. Run `dotnet build` at the repository root, or `dotnet run --project AppHost`.");
        }

        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ASPNETCORE_URLS"] = Endpoint,
            ["ASPNETCORE_ENVIRONMENT"] = context.EnvironmentName,
            ["DOTNET_ENVIRONMENT"] = context.EnvironmentName,
            ["OTEL_SERVICE_NAME"] = Name,
            ["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={Guid.NewGuid()}",
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__Console__FormatterOptions__SingleLine"] = "true",
            ["Logging__Console__FormatterOptions__IncludeScopes"] = "true",
            ["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss ",
        };
        foreach (var (key, value) in BuildEnvironment())
        {
            environment[key] = value;
        }

        Url = Endpoint;
        _process = ChildProcess.Start(Name, "dotnet", [assembly], projectPath, environment, context.Output);
        await HealthProbe.WaitAsync(HealthProbe.Http(context.Http, $"{Endpoint}/health"), Name, TimeSpan.FromSeconds(90), ct, _process.Exited);
    }

    public override async Task StopAsync(AppHostContext context)
    {
        if (_process is not null)
        {
            await _process.StopAsync(TimeSpan.FromSeconds(10));
        }
    }

    public void ContributeTo(IDictionary<string, string> environment) =>
        environment[$"services__{Name}__http__0"] = Endpoint;

    /// <summary>The services are built with the AppHost, in the same configuration.</summary>
    private static string BuildConfiguration =>
        typeof(ProjectResource).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
}
