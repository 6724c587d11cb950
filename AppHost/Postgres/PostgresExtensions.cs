using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace AppHost.Postgres;

public static class PostgresExtensions
{
    /// <summary>
    /// PostgreSQL for this machine. In run mode: the machine's own binaries as a local cluster in the data folder, or
    /// the server named by ConnectionStrings:postgres; with --AppHost:Postgres=container (a machine with a container
    /// runtime) and when publishing: Aspire's PostgreSQL container.
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddPlatformPostgres(this IDistributedApplicationBuilder builder, string name, int port)
    {
        var superuserPassword = builder.AddSecret($"{name}-password");
        if (builder.ExecutionContext.IsPublishMode || builder.Configuration["AppHost:Postgres"] == "container")
        {
            return builder.AddPostgres(name, password: superuserPassword)
                .WithDataVolume()
                // The same roles and databases the local cluster gets, on the container's first start.
                .WithInitFiles(Path.Combine(builder.AppHostDirectory, "..", "deploy", "postgres"));
        }

        var external = builder.Configuration.GetConnectionString(name);
        var server = new LocalPostgresResource(name, superuserPassword.Resource, builder.PortFor(name, port),
            string.IsNullOrWhiteSpace(external) ? null : external);
        var healthCheck = $"{name}_check";
        builder.Services.AddHealthChecks().AddNpgSql(_ => server.Cluster?.ConnectionString() ?? server.ExternalConnectionString!,
            name: healthCheck, failureStatus: HealthStatus.Unhealthy);

        builder.Eventing.Subscribe<InitializeResourceEvent>(server, (e, ct) => StartAsync(builder, server, e, ct));
        return builder.AddResource(server)
            .WithHealthCheck(healthCheck)
            .ExcludeFromManifest()
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "PostgreSQL",
                State = KnownResourceStates.NotStarted,
                Properties = [new(CustomResourceKnownProperties.Source, external is null ? "local cluster" : "ConnectionStrings:postgres")],
            });
    }

    /// <summary>A database with an owner role (migrations) and a least-privileged application role, created when absent.</summary>
    public static IResourceBuilder<PostgresAppDatabaseResource> AddAppDatabase(this IResourceBuilder<IResourceWithConnectionString> server, string name)
    {
        var builder = server.ApplicationBuilder;
        var address = server.Resource switch
        {
            LocalPostgresResource local => local.AddressExpression,
            PostgresServerResource container => ReferenceExpression.Create(
                $"Host={container.PrimaryEndpoint.Property(EndpointProperty.Host)};Port={container.PrimaryEndpoint.Property(EndpointProperty.Port)}"),
            _ => throw new NotSupportedException($"{server.Resource.Name} is not a PostgreSQL server."),
        };
        var database = new PostgresAppDatabaseResource(name, server.Resource, address,
            builder.AddSecret($"{name}-owner-password").Resource, builder.AddSecret($"{name}-app-password").Resource);

        if (server.Resource is PostgresServerResource postgres)
        {
            // The container's init script reads the role passwords; its readiness is when the roles exist.
            postgres.Annotations.Add(new EnvironmentCallbackAnnotation(context =>
            {
                context.EnvironmentVariables[$"{name.ToUpperInvariant()}_OWNER_PASSWORD"] = database.OwnerPassword;
                context.EnvironmentVariables[$"{name.ToUpperInvariant()}_APP_PASSWORD"] = database.AppPassword;
            }));
            builder.Eventing.Subscribe<ResourceReadyEvent>(postgres, async (e, ct) =>
            {
                database.HealthCheckConnectionString = Unpooled(await database.ConnectionStringExpression.GetValueAsync(ct));
                await e.Services.GetRequiredService<ResourceNotificationService>()
                    .PublishUpdateAsync(database, s => s with { State = KnownResourceStates.Running, StartTimeStamp = DateTime.UtcNow });
            });
        }

        var healthCheck = $"{name}_check";
        builder.Services.AddHealthChecks().AddNpgSql(_ => database.HealthCheckConnectionString ?? "Host=unprovisioned",
            name: healthCheck, failureStatus: HealthStatus.Unhealthy);
        return builder.AddResource(database)
            .WithParentRelationship(server)
            .WithHealthCheck(healthCheck)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "PostgreSQLDatabase",
                State = KnownResourceStates.NotStarted,
                Properties = [new("roles", $"{database.OwnerRole} (migrations), {database.AppRole} (the service)")],
            });
    }

    /// <summary>
    /// The service uses the database: its application role's connection string (ConnectionStrings:{db}), the owner's
    /// for migrations (ConnectionStrings:{db}-owner), and it starts once the database is healthy.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithDatabase(this IResourceBuilder<ProjectResource> service,
        IResourceBuilder<PostgresAppDatabaseResource> database) =>
        service.WithReference(database)
            .WithEnvironment($"ConnectionStrings__{database.Resource.Name}-owner", database.Resource.OwnerConnectionStringExpression)
            .WaitFor(database);

    private static async Task StartAsync(IDistributedApplicationBuilder builder, LocalPostgresResource server, InitializeResourceEvent e, CancellationToken ct)
    {
        var notifications = e.Notifications;
        var databases = builder.Resources.OfType<PostgresAppDatabaseResource>().Where(d => d.Parent == server).ToList();
        await notifications.PublishUpdateAsync(server, s => s with { State = KnownResourceStates.Starting });
        try
        {
            var admin = server.ExternalConnectionString ?? await StartClusterAsync(builder, server, e.Logger, e.Services, ct);
            await notifications.PublishUpdateAsync(server, s => s with
            {
                State = KnownResourceStates.Running,
                StartTimeStamp = DateTime.UtcNow,
                Urls = [new UrlSnapshot("postgres", $"postgres://127.0.0.1:{server.Port}", IsInternal: false)],
            });

            foreach (var monitor in server.Annotations.OfType<MonitorRoleAnnotation>())
            {
                await PostgresProvisioner.ProvisionMonitorAsync(admin, monitor.Role, await monitor.Password.GetValueAsync(ct) ?? "", ct);
            }

            foreach (var database in databases)
            {
                var roles = new PostgresProvisioner.DatabaseRoles(database.OwnerRole, await database.OwnerPassword.GetValueAsync(ct) ?? "",
                    database.AppRole, await database.AppPassword.GetValueAsync(ct) ?? "");
                await PostgresProvisioner.ProvisionAsync(admin, database.Name, roles, ct);
                database.HealthCheckConnectionString = Unpooled(await database.ConnectionStringExpression.GetValueAsync(ct));
                e.Logger.DatabaseReady(database.Name, roles.OwnerRole, roles.AppRole);
                await notifications.PublishUpdateAsync(database, s => s with { State = KnownResourceStates.Running, StartTimeStamp = DateTime.UtcNow });
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            e.Logger.FailedToStart(ex.Message);
            await notifications.PublishUpdateAsync(server, s => s with
            {
                State = KnownResourceStates.FailedToStart,
                Properties = [.. s.Properties, new(StartupSummary.FailureProperty, ex.Message)],
            });
            foreach (var database in databases)
            {
                await notifications.PublishUpdateAsync(database, s => s with { State = KnownResourceStates.FailedToStart });
            }
        }
    }

    private static async Task<string> StartClusterAsync(IDistributedApplicationBuilder builder, LocalPostgresResource server, ILogger log,
        IServiceProvider services, CancellationToken ct)
    {
        var binaries = PostgresBinaries.Find(builder.Configuration["AppHost:PostgresBin"]) ?? throw new InvalidOperationException(PostgresBinaries.InstallHint);
        var directory = ClusterLocation.Resolve(builder.DataDirectory(), binaries, log.Note);
        var cluster = new PostgresCluster(binaries, directory, server.Port, await server.SuperuserPassword.GetValueAsync(ct) ?? "")
        {
            Output = (line, _) => log.ServerOutput(line),
        };
        server.Cluster = cluster;
        if (!cluster.Exists)
        {
            log.CreatingCluster(directory);
        }

        // Stopped last, once every service that uses it has stopped, with a fast shutdown.
        services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopped.Register(() => cluster.StopAsync().GetAwaiter().GetResult());
        try
        {
            await cluster.StartAsync(ct);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidPassword)
        {
            log.ResettingSuperuserPassword();
            await cluster.ResetSuperuserPasswordAsync(ct);
            await cluster.StartAsync(ct);
        }

        return cluster.ConnectionString();
    }

    private static string Unpooled(string? connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;
}
