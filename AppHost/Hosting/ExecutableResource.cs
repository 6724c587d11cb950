namespace AppHost.Hosting;

/// <summary>
/// A server binary from the machine (Prometheus, Grafana, Loki, Tempo), started with the repo's
/// configuration. When the binary is not installed the resource says so and what that disables.
/// </summary>
public class ExecutableResource(string name, string[] binaryNames, int port, string healthPath, string missingMeans)
    : Resource(name), IResourceWithEnvironmentContribution
{
    private ChildProcess? _process;

    public int Port { get; } = port;
    public string Endpoint => $"http://127.0.0.1:{Port}";
    public bool IsRunning => State == ResourceState.Healthy;

    /// <summary>Builds the arguments once the binary is found; may write runtime config files first.</summary>
    public Func<AppHostContext, IReadOnlyList<string>> Arguments { get; set; } = _ => [];

    /// <summary>Environment for the binary (its configs read it with ${VAR} expansion).</summary>
    public Func<AppHostContext, IReadOnlyDictionary<string, string>> Environment { get; set; } = _ => new Dictionary<string, string>();

    /// <summary>What this resource gives the services that reference it, when it runs.</summary>
    public Action<ExecutableResource, IDictionary<string, string>>? Contribution { get; set; }

    public static string? FindBinary(IEnumerable<string> names) =>
        names.SelectMany(n => (System.Environment.GetEnvironmentVariable("PATH") ?? "")
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Select(dir => Path.Combine(dir, n)))
            .FirstOrDefault(File.Exists);

    public override async Task StartAsync(AppHostContext context, CancellationToken ct)
    {
        var binary = FindBinary(binaryNames);
        if (binary is null)
        {
            SetState(ResourceState.NotInstalled, $"not installed: {missingMeans}");
            return;
        }

        Url = Endpoint;
        _process = ChildProcess.Start(Name, binary, Arguments(context), context.RepositoryRoot, Environment(context), context.Output);
        await HealthProbe.WaitAsync(HealthProbe.Http(context.Http, Endpoint + healthPath), Name, TimeSpan.FromSeconds(60), ct, _process.Exited);
    }

    public override async Task StopAsync(AppHostContext context)
    {
        if (_process is not null)
        {
            await _process.StopAsync(TimeSpan.FromSeconds(10));
        }
    }

    public void ContributeTo(IDictionary<string, string> environment)
    {
        if (IsRunning)
        {
            Contribution?.Invoke(this, environment);
        }
    }
}
