using AppHost.Observability;

namespace AppHost.Postgres;

public static class PostgresExporterExtensions
{
    public const string MonitorRole = "postgres_exporter";

    /// <summary>
    /// PostgreSQL's own metrics for Prometheus (connections, transactions, deadlocks, database sizes, replication):
    /// the machine's prometheus-postgres-exporter, connecting as a pg_monitor role that the cluster's start-up creates.
    /// </summary>
    public static IResourceBuilder<IResource> AddPostgresExporter(this IResourceBuilder<IResourceWithConnectionString> postgres, string name, int port)
    {
        var builder = postgres.ApplicationBuilder;
        if (postgres.Resource is not LocalPostgresResource server)
        {
            return builder.AddNotInstalled(name, "PostgreSQL's own metrics are not collected for a container or publish-mode server");
        }

        if (Tools.Find("prometheus-postgres-exporter", "postgres_exporter") is not { } binary)
        {
            return builder.AddNotInstalled(name, "PostgreSQL's own metrics are not collected (apt-get install -y prometheus-postgres-exporter)");
        }

        var password = builder.AddSecret($"{name}-password");
        server.Annotations.Add(new MonitorRoleAnnotation(MonitorRole, password.Resource));
        var exporter = builder.AddExecutable(name, binary, builder.RepositoryRoot())
            .WithHttpEndpoint(port: builder.PortFor(name, port), isProxied: false)
            .WithHttpHealthCheck("/metrics")
            .WithParentRelationship(postgres)
            .WaitFor(postgres);
        var endpoint = exporter.GetEndpoint("http");
        return exporter
            .WithArgs(ReferenceExpression.Create($"--web.listen-address=127.0.0.1:{endpoint.Property(EndpointProperty.TargetPort)}"),
                // Replication series the exporter lacks; pg_stat_database already covers every database of the server.
                $"--extend.query-path={Path.Combine(builder.RepositoryRoot(), "prometheus", "exporters", "postgres-queries.yaml")}")
            .WithEnvironment("DATA_SOURCE_NAME", ReferenceExpression.Create(
                $"postgresql://{MonitorRole}:{password}@{server.AddressHost}:{server.AddressPort.ToString(CultureInfo.InvariantCulture)}/postgres?sslmode=disable"));
    }
}

/// <summary>A monitoring role the server's start-up provisions (see <see cref="PostgresProvisioner.ProvisionMonitorAsync"/>).</summary>
public sealed record MonitorRoleAnnotation(string Role, ParameterResource Password) : IResourceAnnotation;
