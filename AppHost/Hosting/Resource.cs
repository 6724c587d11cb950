namespace AppHost.Hosting;

public enum ResourceState
{
    Pending,
    Starting,
    Running,
    Healthy,
    NotInstalled,
    Failed,
    Stopping,
    Stopped,
}

/// <summary>Something the AppHost starts, waits for, and stops: a server, a database, a service.</summary>
public abstract class Resource(string name)
{
    public string Name { get; } = name;
    public ResourceState State { get; private set; } = ResourceState.Pending;
    public string? Url { get; protected set; }
    public string? Note { get; private set; }

    /// <summary>Resources that must be healthy before this one starts.</summary>
    public List<Resource> WaitsFor { get; } = [];

    /// <summary>Environment given to this resource's process, filled in by references before it starts.</summary>
    public List<Action<IDictionary<string, string>>> EnvironmentCallbacks { get; } = [];

    /// <summary>Facts other parts of the AppHost attach to a resource, as Aspire's annotations.</summary>
    public Dictionary<string, object> Annotations { get; } = [];

    public event Action<Resource>? StateChanged;

    public void SetState(ResourceState state, string? note = null)
    {
        State = state;
        Note = note;
        StateChanged?.Invoke(this);
    }

    /// <summary>Starts the resource and returns once it is healthy (or throws).</summary>
    public abstract Task StartAsync(AppHostContext context, CancellationToken ct);

    public virtual Task StopAsync(AppHostContext context) => Task.CompletedTask;

    public Dictionary<string, string> BuildEnvironment()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var callback in EnvironmentCallbacks)
        {
            callback(environment);
        }

        return environment;
    }
}

/// <summary>A resource the services can reference (connection string or endpoint).</summary>
public interface IResourceWithEnvironmentContribution
{
    void ContributeTo(IDictionary<string, string> environment);
}
