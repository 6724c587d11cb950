using Npgsql;

namespace AppHost.Hosting;

/// <summary>
/// PostgreSQL: an embedded local cluster in the data folder by default, or the server named by
/// ConnectionStrings:postgres when one is configured.
/// </summary>
public sealed class PostgresServerResource(string name, int port, string? externalConnectionString) : Resource(name)
{
    private PostgresCluster? _cluster;

    public List<PostgresDatabaseResource> Databases { get; } = [];

    public string AdminConnectionString { get; private set; } = "";

    public string Host { get; private set; } = "127.0.0.1";

    public int Port { get; private set; } = port;

    public override async Task StartAsync(AppHostContext context, CancellationToken ct)
    {
        if (externalConnectionString is not null)
        {
            var external = new NpgsqlConnectionStringBuilder(externalConnectionString);
            AdminConnectionString = externalConnectionString;
            Host = external.Host ?? "127.0.0.1";
            Port = external.Port;
            Url = $"postgres://{Host}:{Port} (external)";
        }
        else
        {
            var binaries = PostgresBinaries.Find() ?? throw new PrerequisiteException(PostgresBinaries.InstallHint);
            var directory = Path.Combine(context.DataDirectory, "postgres");
            _cluster = new PostgresCluster(binaries, directory, Port, context.Secrets.Password("postgres-superuser"));
            if (!_cluster.Exists)
            {
                context.Output.Host($"Creating a PostgreSQL cluster in {directory} (first run)");
            }

            await _cluster.StartAsync(ct);
            AdminConnectionString = _cluster.ConnectionString();
            Url = $"postgres://127.0.0.1:{Port}";
        }

        await HealthProbe.WaitAsync(async c =>
        {
            await using var connection = new NpgsqlConnection(AdminConnectionString);
            await connection.OpenAsync(c);
            return true;
        }, Name, TimeSpan.FromSeconds(60), ct);

        foreach (var database in Databases)
        {
            await database.ProvisionAsync(context, ct);
        }
    }

    public override async Task StopAsync(AppHostContext context)
    {
        if (_cluster is not null)
        {
            await _cluster.StopAsync();
        }
    }
}

/// <summary>A database on the server, with its owner and application roles.</summary>
public sealed class PostgresDatabaseResource(string name, PostgresServerResource server) : Resource(name), IResourceWithEnvironmentContribution
{
    private PostgresProvisioner.DatabaseRoles? _roles;

    public PostgresServerResource Server { get; } = server;

    public async Task ProvisionAsync(AppHostContext context, CancellationToken ct)
    {
        var ownerRole = $"{Name}_owner";
        var appRole = $"{Name}_app";
        _roles = new PostgresProvisioner.DatabaseRoles(ownerRole, context.Secrets.Password($"{ownerRole}-password"),
            appRole, context.Secrets.Password($"{appRole}-password"));
        await PostgresProvisioner.ProvisionAsync(Server.AdminConnectionString, Name, _roles, ct);
        Url = $"postgres://{Server.Host}:{Server.Port}/{Name}";
        SetState(ResourceState.Healthy);
    }

    // Started by its server; nothing of its own to run.
    public override Task StartAsync(AppHostContext context, CancellationToken ct) => Task.CompletedTask;

    public string ConnectionString(bool owner)
    {
        var roles = _roles ?? throw new InvalidOperationException($"{Name} is not provisioned yet.");
        return new NpgsqlConnectionStringBuilder
        {
            Host = Server.Host,
            Port = Server.Port,
            Database = Name,
            Username = owner ? roles.OwnerRole : roles.AppRole,
            Password = owner ? roles.OwnerPassword : roles.AppPassword,
        }.ConnectionString;
    }

    public void ContributeTo(IDictionary<string, string> environment)
    {
        environment[$"ConnectionStrings__{Name}"] = ConnectionString(owner: false);
        environment[$"ConnectionStrings__{Name}-owner"] = ConnectionString(owner: true);
    }
}
