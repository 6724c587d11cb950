namespace AppHost.Observability;

/// <summary>Prometheus and Alertmanager share their command line: a config file, a data folder and a listen address.</summary>
public static class PrometheusServers
{
    /// <summary>
    /// The machine's <paramref name="binary"/> on 127.0.0.1 at the resource's port, healthy once /-/ready answers, with
    /// <paramref name="configFile"/> and its data in <paramref name="dataDirectory"/> (named by <paramref name="storageFlag"/>).
    /// </summary>
    public static IResourceBuilder<ExecutableResource> AddPrometheusServer(this IDistributedApplicationBuilder builder, string name,
        string binary, int port, string configFile, string storageFlag, string dataDirectory)
    {
        var server = builder.AddExecutable(name, binary, builder.RepositoryRoot())
            .WithHttpEndpoint(port: builder.PortFor(name, port), isProxied: false)
            .WithHttpHealthCheck("/-/ready");
        var endpoint = server.GetEndpoint("http");
        return server.WithArgs(context =>
        {
            context.Args.Add($"--config.file={configFile}");
            context.Args.Add($"{storageFlag}={dataDirectory}");
            context.Args.Add(ReferenceExpression.Create($"--web.listen-address=127.0.0.1:{endpoint.Property(EndpointProperty.TargetPort)}"));
        });
    }
}
