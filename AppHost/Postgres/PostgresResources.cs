namespace AppHost.Postgres;

/// <summary>
/// PostgreSQL without a container: a cluster of the machine's own binaries kept in the AppHost's data folder, or,
/// when ConnectionStrings:postgres is configured, that server (nothing is started then).
/// </summary>
public sealed class LocalPostgresResource(string name, ParameterResource superuserPassword, int port, string? externalConnectionString)
    : Resource(name), IResourceWithConnectionString
{
    public ParameterResource SuperuserPassword { get; } = superuserPassword;

    public int Port { get; } = port;

    /// <summary>The server named by ConnectionStrings:postgres, or null for the local cluster.</summary>
    public string? ExternalConnectionString { get; } = externalConnectionString;

    public PostgresCluster? Cluster { get; set; }

    public ReferenceExpression ConnectionStringExpression => ExternalConnectionString is { } external
        ? ReferenceExpression.Create($"{external}")
        : ReferenceExpression.Create($"{AddressExpression};Username={PostgresCluster.Superuser};Password={SuperuserPassword}");

    /// <summary>The server's host as other processes reach it.</summary>
    public string AddressHost => ExternalConnectionString is { } external ? new NpgsqlConnectionStringBuilder(external).Host ?? "127.0.0.1" : "127.0.0.1";

    /// <summary>The server's port as other processes reach it.</summary>
    public int AddressPort => ExternalConnectionString is { } external ? new NpgsqlConnectionStringBuilder(external).Port : Port;

    /// <summary>Host and port as a database's connection string starts.</summary>
    public ReferenceExpression AddressExpression =>
        ReferenceExpression.Create($"Host={AddressHost};Port={AddressPort.ToString(CultureInfo.InvariantCulture)}");
}

/// <summary>
/// A database with its two roles, as every service here uses one: the owner migrates the schema, the application
/// role (LOGIN only, no BYPASSRLS, no CREATE) is what the service runs as. The connection string a referencing
/// service receives is the application role's; <see cref="OwnerConnectionStringExpression"/> is the owner's.
/// </summary>
public sealed class PostgresAppDatabaseResource(string name, IResourceWithConnectionString server, ReferenceExpression serverAddress,
    ParameterResource ownerPassword, ParameterResource appPassword)
    : Resource(name), IResourceWithParent<IResourceWithConnectionString>, IResourceWithConnectionString
{
    public IResourceWithConnectionString Parent { get; } = server;

    public string OwnerRole => $"{Name}_owner";

    public string AppRole => $"{Name}_app";

    public ParameterResource OwnerPassword { get; } = ownerPassword;

    public ParameterResource AppPassword { get; } = appPassword;

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{serverAddress};Database={Name};Username={AppRole};Password={AppPassword}");

    public ReferenceExpression OwnerConnectionStringExpression =>
        ReferenceExpression.Create($"{serverAddress};Database={Name};Username={OwnerRole};Password={OwnerPassword}");

    /// <summary>The application role's connection string once provisioned, unpooled: what the database's health check uses.</summary>
    public string? HealthCheckConnectionString { get; set; }
}
