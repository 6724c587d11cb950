namespace AppHost.Observability;

/// <summary>
/// The Grafana stack as executables of the machine (Aspire has no container-free integration for them): each runs
/// with the repository's own configuration when its binary is on PATH, and otherwise shows as "Not installed" with
/// what its absence disables. The Aspire dashboard receives every signal either way.
/// </summary>
public static class ObservabilityExtensions
{
    /// <summary>Prometheus on 127.0.0.1, scraping /metrics of the targets given to <see cref="WithScrapeTargets"/>, with the repo's rules.</summary>
    public static IResourceBuilder<IResource> AddPrometheus(this IDistributedApplicationBuilder builder, string name, int port)
    {
        if (Tools.Find("prometheus") is not { } binary)
        {
            return builder.AddNotInstalled(name, "no metrics are stored and no alert rules evaluate (apt-get install -y prometheus)");
        }

        var root = Path.Combine(builder.DataDirectory(), name);
        var config = Path.Combine(root, "config");
        var prometheus = builder.AddPrometheusServer(name, binary, port, Path.Combine(config, "prometheus.yml"), "--storage.tsdb.path", Path.Combine(root, "data"))
            // Tempo's metrics generator remote-writes span metrics and the service graph. The LLM cost board's "this month"
            // panels need a whole month of samples; Prometheus keeps 15 days unless told otherwise.
            .WithArgs("--web.enable-lifecycle", "--enable-feature=exemplar-storage", "--web.enable-remote-write-receiver",
                "--storage.tsdb.retention.time=35d");
        // The repo's configuration is copied next to a generated targets file, so the same prometheus.yml works
        // here (file discovery of the services' real addresses) and in deploy/compose.yaml.
        prometheus.OnBeforeResourceStarted((resource, e, ct) =>
        {
            CopyDirectory(Path.Combine(builder.RepositoryRoot(), "prometheus"), config);
            AlertmanagerExtensions.WriteAlertmanagers(resource, config);
            var scraped = resource.Annotations.OfType<ScrapeTargetsAnnotation>().SelectMany(a => a.Targets).ToList();
            var targets = new ScrapeTargets(Path.Combine(config, "targets", "services.json"),
                scraped.OfType<ProjectResource>().Select(p => p.Name).ToHashSet());
            // Executables listen where the AppHost told them to; projects are followed instance by instance.
            foreach (var executable in scraped.OfType<ExecutableResource>().Append(resource))
            {
                targets.Add(executable.Name, executable.Name, new Uri(executable.GetEndpoint("http").Url).Authority);
            }
            var stopping = e.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            _ = Task.Run(() => targets.FollowAsync(e.Services.GetRequiredService<ResourceNotificationService>(), stopping), CancellationToken.None);
            return Task.CompletedTask;
        });
        return prometheus;
    }

    /// <summary>Prometheus scrapes /metrics of every running instance of these projects, and of the exporters that are installed.</summary>
    public static IResourceBuilder<IResource> WithScrapeTargets(this IResourceBuilder<IResource> prometheus, params IResourceBuilder<IResource>[] targets)
    {
        prometheus.Resource.Annotations.Add(new ScrapeTargetsAnnotation([.. targets.Select(t => t.Resource).Where(t => t is ProjectResource or ExecutableResource)]));
        return prometheus;
    }

    /// <summary>Tempo receives the services' traces over OTLP and writes span metrics and the service graph to Prometheus.</summary>
    public static IResourceBuilder<IResource> AddTempo(this IDistributedApplicationBuilder builder, string name) =>
        builder.AddStackExecutable(name, ["tempo"], 3200, "/ready", "tempo.yaml", "TEMPO_DATA",
            "traces are kept only by the Aspire dashboard (in memory); Grafana has no trace datasource");

    /// <summary>Loki receives the services' logs on its native OTLP endpoint.</summary>
    public static IResourceBuilder<IResource> AddLoki(this IDistributedApplicationBuilder builder, string name) =>
        builder.AddStackExecutable(name, ["loki"], 3100, "/ready", "loki.yaml", "LOKI_DATA",
            "logs are kept only by the Aspire dashboard (in memory); Grafana has no log datasource");

    /// <summary>Grafana with the repo's provisioning: datasources, dashboards and alerting (webhook from Grafana:AlertWebhookUrl).</summary>
    public static IResourceBuilder<IResource> AddGrafana(this IDistributedApplicationBuilder builder, string name, params IResourceBuilder<IResource>[] datasources)
    {
        if (Tools.Find("grafana", "grafana-server") is not { } binary)
        {
            return builder.AddNotInstalled(name, "no Grafana dashboards or alerting; trace links open the Aspire dashboard instead");
        }

        var grafana = builder.AddExecutable(name, binary, builder.RepositoryRoot(), "server", "--homepath", "/usr/share/grafana",
                $"cfg:paths.provisioning={Path.Combine(builder.RepositoryRoot(), "grafana", "provisioning")}",
                "cfg:server.http_addr=127.0.0.1")
            .WithHttpEndpoint(port: builder.PortFor(name, 3000), isProxied: false, env: "GF_SERVER_HTTP_PORT")
            .WithHttpHealthCheck("/api/health")
            .WithEnvironment("GF_PATHS_DATA", Path.Combine(builder.DataDirectory(), name))
            .WithEnvironment("GRAFANA_DASHBOARDS_PATH", Path.Combine(builder.RepositoryRoot(), "grafana", "dashboards"))
            // Grafana refuses a webhook contact point without a URL; locally nothing listens on port 9.
            .WithEnvironment("GRAFANA_ALERT_WEBHOOK_URL", builder.Configuration["Grafana:AlertWebhookUrl"] ?? "http://127.0.0.1:9/alerts")
            .WithStackUrls();
        foreach (var datasource in datasources.Where(Tools.IsInstalled))
        {
            grafana.WaitFor(datasource);
        }

        return grafana;
    }

    /// <summary>
    /// The service also sends its traces to Tempo and its logs to Loki when they run (the Aspire dashboard keeps
    /// receiving all three signals through Aspire's own OTEL_EXPORTER_OTLP_ENDPOINT).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithTelemetryBackends(this IResourceBuilder<ProjectResource> service,
        IResourceBuilder<IResource> tempo, IResourceBuilder<IResource> loki)
    {
        if (tempo.Resource is IResourceWithEndpoints)
        {
            service.WithEnvironment("Telemetry__Exporters__tempo__Endpoint", "http://127.0.0.1:4318/v1/traces")
                .WithEnvironment("Telemetry__Exporters__tempo__Signal", "traces");
        }

        if (loki.Resource is IResourceWithEndpoints lokiEndpoints)
        {
            service.WithEnvironment("Telemetry__Exporters__loki__Endpoint", ReferenceExpression.Create($"{lokiEndpoints.GetEndpoint("http")}/otlp/v1/logs"))
                .WithEnvironment("Telemetry__Exporters__loki__Signal", "logs");
        }

        return service;
    }

    /// <summary>
    /// Where a trace id shown to a person leads: Grafana's Explore when Grafana runs, the Aspire dashboard's trace page
    /// and structured logs otherwise; with neither, no link is shown.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithTraceViewer(this IResourceBuilder<ProjectResource> service, IResourceBuilder<IResource> grafana)
    {
        if (grafana.Resource is IResourceWithEndpoints withEndpoints)
        {
            return service.WithEnvironment("TraceViewer__GrafanaUrl", withEndpoints.GetEndpoint("http"));
        }

        return service.WithEnvironment(context =>
        {
            if (AspireDashboard.Url(context.ExecutionContext.Services) is { } dashboard)
            {
                context.EnvironmentVariables["TraceViewer__AspireDashboardUrl"] = dashboard;
            }
        });
    }

    private static IResourceBuilder<IResource> AddStackExecutable(this IDistributedApplicationBuilder builder, string name, string[] binaries,
        int port, string readyPath, string configFile, string dataVariable, string absence)
    {
        if (Tools.Find(binaries) is not { } binary)
        {
            return builder.AddNotInstalled(name, absence);
        }

        var data = Path.Combine(builder.DataDirectory(), name);
        Directory.CreateDirectory(data);
        var resource = builder.AddExecutable(name, binary, builder.RepositoryRoot(),
                $"-config.file={Path.Combine(builder.RepositoryRoot(), name, configFile)}", "-config.expand-env=true")
            .WithHttpEndpoint(port: builder.PortFor(name, port), isProxied: false)
            .WithHttpHealthCheck(readyPath)
            .WithEnvironment(dataVariable, data)
            .WithStackUrls();
        var endpoint = resource.GetEndpoint("http");
        return resource.WithArgs(ReferenceExpression.Create($"-server.http-listen-port={endpoint.Property(EndpointProperty.TargetPort)}"));
    }

    /// <summary>What the stack's configs expand: PROMETHEUS_URL, LOKI_URL and TEMPO_URL of the members that run.</summary>
    private static IResourceBuilder<ExecutableResource> WithStackUrls(this IResourceBuilder<ExecutableResource> resource) =>
        resource.WithEnvironment(context =>
        {
            foreach (var member in resource.ApplicationBuilder.Resources.OfType<ExecutableResource>()
                         .Where(r => r.Name is "prometheus" or "loki" or "tempo"))
            {
                context.EnvironmentVariables[$"{member.Name.ToUpperInvariant()}_URL"] = member.GetEndpoint("http");
            }
        });

    private static void CopyDirectory(string source, string target)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination, overwrite: true);
        }
    }

    private sealed record ScrapeTargetsAnnotation(IReadOnlyList<IResource> Targets) : IResourceAnnotation;
}
