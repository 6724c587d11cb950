namespace AppHost.Hosting;

/// <summary>What every resource may need while starting: where the repo and data live, and the console.</summary>
public sealed class AppHostContext(string repositoryRoot, string dataDirectory, string environmentName, ConsoleOutput output, SecretStore secrets)
{
    public string RepositoryRoot { get; } = repositoryRoot;
    public string DataDirectory { get; } = dataDirectory;
    public string EnvironmentName { get; } = environmentName;
    public ConsoleOutput Output { get; } = output;
    public SecretStore Secrets { get; } = secrets;
    public List<Resource> Resources { get; } = [];

    /// <summary>Lines printed under the status table once everything is up (seeded sign-ins, for example).</summary>
    public List<Func<string>> StartupNotes { get; } = [];
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(5) };
}

/// <summary>A missing prerequisite: the AppHost stops with this message and a non-zero exit code.</summary>
public sealed class PrerequisiteException(string message) : Exception(message);
