using System.Security.Cryptography;
using System.Text.Json;
using AppHost.Hosting;
using Microsoft.Extensions.Configuration;

namespace AppHost;

/// <summary>The resource vocabulary of our AppHost, named as Aspire names it.</summary>
public static class Extensions
{
    public static ResourceBuilder<PostgresServerResource> AddPostgres(this DistributedApplicationBuilder builder, string name, int port)
    {
        var external = builder.Configuration.GetConnectionString(name);
        return builder.AddResource(new PostgresServerResource(name, builder.PortFor(name, port), string.IsNullOrWhiteSpace(external) ? null : external));
    }

    public static ResourceBuilder<PostgresDatabaseResource> AddDatabase(this ResourceBuilder<PostgresServerResource> server, string name)
    {
        var database = new PostgresDatabaseResource(name, server.Resource);
        server.Resource.Databases.Add(database);
        return server.ApplicationBuilder.AddResource(database).WaitFor(server);
    }

    /// <summary>
    /// A service from this repository. Extra settings for it can be given to the AppHost as
    /// Resources:{name}:Environment:{KEY}={value} (for example a tiny plan budget in a test).
    /// </summary>
    public static ResourceBuilder<ProjectResource> AddProject(this DistributedApplicationBuilder builder, string name, string projectDirectory, int port)
    {
        var project = builder.AddResource(new ProjectResource(name, projectDirectory, builder.PortFor(name, port)));
        foreach (var setting in builder.Configuration.GetSection($"Resources:{name}:Environment").GetChildren())
        {
            project.WithEnvironment(setting.Key, setting.Value ?? "");
        }

        return project;
    }

    /// <summary>An API key AuditService accepts: generated on first run, stored hashed by AuditService, given in clear only to its holder.</summary>
    public static Func<string> AddApiKey(this DistributedApplicationBuilder builder, string name) =>
        () => builder.Context.Secrets.GetOrCreate(name, () =>
            $"audk_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}_{Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_')}");

    /// <summary>A random secret generated on first run and kept in the data folder (signing keys, for example).</summary>
    public static Func<string> AddSecret(this DistributedApplicationBuilder builder, string name) =>
        () => builder.Context.Secrets.Password(name);

    /// <summary>Makes AuditService accept a key (seeded at its start-up) with the given permissions.</summary>
    public static ResourceBuilder<ProjectResource> WithSeededApiKey(this ResourceBuilder<ProjectResource> audit, string holder, Func<string> key, params string[] permissions)
    {
        var index = audit.Resource.Annotations.TryGetValue("seeded-keys", out var count) ? (int)count : 0;
        audit.Resource.Annotations["seeded-keys"] = index + 1;
        audit.WithEnvironment($"ApiKeys__Seed__{index}__Name", holder)
            .WithEnvironment($"ApiKeys__Seed__{index}__Key", key)
            .WithEnvironment($"ApiKeys__Seed__{index}__Scope", "platform");
        for (var i = 0; i < permissions.Length; i++)
        {
            audit.WithEnvironment($"ApiKeys__Seed__{index}__Permissions__{i}", permissions[i]);
        }

        return audit;
    }

    /// <summary>Prometheus, scraping /metrics of every project, with the repo's rules.</summary>
    public static ResourceBuilder<ExecutableResource> AddPrometheus(this DistributedApplicationBuilder builder, string name, int port)
    {
        var resource = new ExecutableResource(name, ["prometheus"], builder.PortFor(name, port), "/-/ready",
            "no metrics are stored and no alert rules evaluate (apt-get install -y prometheus)");
        resource.Arguments = context => PrometheusArguments(context, resource);
        return builder.AddResource(resource);
    }

    /// <summary>Tempo receives the services' traces over OTLP and writes span metrics and the service graph to Prometheus.</summary>
    public static ResourceBuilder<ExecutableResource> AddTempo(this DistributedApplicationBuilder builder, string name)
    {
        var resource = new ExecutableResource(name, ["tempo"], builder.PortFor(name, 3200), "/ready",
            "traces are not stored; \"Open trace in Grafana\" links have nothing to show");
        resource.Arguments = context => StackArguments(context, resource, "tempo.yaml");
        resource.Environment = context => StackEnvironment(context, resource, "TEMPO_DATA");
        resource.Contribution = (_, env) =>
        {
            env["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = "http://127.0.0.1:4318/v1/traces";
            env["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        };
        return builder.AddResource(resource);
    }

    /// <summary>Loki receives the services' logs on its native OTLP endpoint.</summary>
    public static ResourceBuilder<ExecutableResource> AddLoki(this DistributedApplicationBuilder builder, string name)
    {
        var resource = new ExecutableResource(name, ["loki"], builder.PortFor(name, 3100), "/ready",
            "logs are not stored centrally (each service still logs to this console)");
        resource.Arguments = context => StackArguments(context, resource, "loki.yaml");
        resource.Environment = context => StackEnvironment(context, resource, "LOKI_DATA");
        resource.Contribution = (r, env) =>
        {
            env["OTEL_EXPORTER_OTLP_LOGS_ENDPOINT"] = $"{r.Endpoint}/otlp/v1/logs";
            env["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        };
        return builder.AddResource(resource);
    }

    /// <summary>Grafana with the repo's provisioning: datasources, dashboards and alerting (webhook from Grafana:AlertWebhookUrl).</summary>
    public static ResourceBuilder<ExecutableResource> AddGrafana(this DistributedApplicationBuilder builder, string name)
    {
        var resource = new ExecutableResource(name, ["grafana", "grafana-server"], builder.PortFor(name, 3000), "/api/health",
            "no dashboards or alerting; trace links from the Dashboard open nowhere");
        resource.Arguments = context => GrafanaArguments(context, resource);
        resource.Environment = context =>
        {
            var env = StackEnvironment(context, resource, "GF_PATHS_DATA");
            env["GRAFANA_DASHBOARDS_PATH"] = Path.Combine(context.RepositoryRoot, "grafana", "dashboards");
            // Grafana refuses a webhook contact point without a URL; locally nothing listens on port 9.
            env["GRAFANA_ALERT_WEBHOOK_URL"] = builder.Configuration["Grafana:AlertWebhookUrl"] ?? "http://127.0.0.1:9/alerts";
            return env;
        };
        resource.Contribution = (r, env) => env["Grafana__BaseUrl"] = r.Endpoint;
        return builder.AddResource(resource);
    }

    public static ResourceBuilder<ExecutableResource> WithScrapeTargets(this ResourceBuilder<ExecutableResource> prometheus, params ResourceBuilder<ProjectResource>[] targets)
    {
        prometheus.Resource.EnvironmentCallbacks.Add(env =>
            env["__scrape_targets"] = JsonSerializer.Serialize(targets
                .Select(t => (t.Resource.Name, t.Resource.Port))
                .Append((prometheus.Resource.Name, prometheus.Resource.Port))
                .Select(t => new
                {
                    targets = new[] { $"localhost:{t.Port}" },
                    labels = new Dictionary<string, string> { ["job"] = t.Name, ["service"] = t.Name },
                })));
        return prometheus;
    }

    /// <summary>A tenant the Api creates on first start when absent.</summary>
    public static ResourceBuilder<ProjectResource> WithSeededTenant(this ResourceBuilder<ProjectResource> api, string slug, string name, string plan)
    {
        var index = api.Resource.Annotations.TryGetValue("seeded-tenants", out var count) ? (int)count : 0;
        api.Resource.Annotations["seeded-tenants"] = index + 1;
        return api.WithEnvironment($"Seed__Tenants__{index}__Slug", slug)
            .WithEnvironment($"Seed__Tenants__{index}__Name", name)
            .WithEnvironment($"Seed__Tenants__{index}__Plan", plan);
    }

    /// <summary>A user the Api creates on first start, with a password generated once and printed at start-up.
    /// A support user is assigned to the tenants given as supportTenants.</summary>
    public static ResourceBuilder<ProjectResource> WithSeededUser(this ResourceBuilder<ProjectResource> api, string email, string displayName, string role,
        string? tenant = null, params string[] supportTenants)
    {
        var index = api.Resource.Annotations.TryGetValue("seeded-users", out var count) ? (int)count : 0;
        api.Resource.Annotations["seeded-users"] = index + 1;
        var secrets = api.ApplicationBuilder.Context.Secrets;
        string Password() => secrets.GetOrCreate($"user-{email}", () => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(9)));
        api.WithEnvironment($"Seed__Users__{index}__Email", email)
            .WithEnvironment($"Seed__Users__{index}__Password", Password)
            .WithEnvironment($"Seed__Users__{index}__DisplayName", displayName)
            .WithEnvironment($"Seed__Users__{index}__Role", role);
        if (tenant is not null)
        {
            api.WithEnvironment($"Seed__Users__{index}__Tenant", tenant);
        }

        for (var i = 0; i < supportTenants.Length; i++)
        {
            api.WithEnvironment($"Seed__Users__{index}__SupportTenants__{i}", supportTenants[i]);
        }

        var scope = tenant ?? (supportTenants.Length > 0 ? string.Join(", ", supportTenants) : null);
        api.ApplicationBuilder.Context.StartupNotes.Add(() => $"  {role,-13} {email,-28} {Password()}{(scope is null ? "" : $"   ({scope})")}");
        return api;
    }

    private static List<string> PrometheusArguments(AppHostContext context, ExecutableResource prometheus)
    {
        // The repo's configuration is copied next to a generated targets file, so the same
        // prometheus.yml works here (file discovery) and in deploy/compose.yaml.
        var root = Path.Combine(context.DataDirectory, prometheus.Name);
        var config = Path.Combine(root, "config");
        CopyDirectory(Path.Combine(context.RepositoryRoot, "prometheus"), config);
        Directory.CreateDirectory(Path.Combine(config, "targets"));
        File.WriteAllText(Path.Combine(config, "targets", "services.json"), prometheus.BuildEnvironment().GetValueOrDefault("__scrape_targets", "[]"));
        return
        [
            $"--config.file={Path.Combine(config, "prometheus.yml")}",
            $"--storage.tsdb.path={Path.Combine(root, "data")}",
            $"--web.listen-address=127.0.0.1:{prometheus.Port}",
            "--web.enable-lifecycle",
            "--enable-feature=exemplar-storage",
            // Tempo's metrics generator remote-writes span metrics and the service graph.
            "--web.enable-remote-write-receiver",
        ];
    }

    /// <summary>Tempo and Loki: the repo's config file, with ${VAR} expansion, on the resource's port.</summary>
    private static List<string> StackArguments(AppHostContext context, ExecutableResource resource, string configFile) =>
    [
        $"-config.file={Path.Combine(context.RepositoryRoot, resource.Name, configFile)}",
        "-config.expand-env=true",
        $"-server.http-listen-port={resource.Port}",
    ];

    /// <summary>
    /// What the stack's configs expand: PROMETHEUS_URL, LOKI_URL, TEMPO_URL (every executable resource's
    /// endpoint) and the resource's own data folder under the AppHost's data directory.
    /// </summary>
    private static Dictionary<string, string> StackEnvironment(AppHostContext context, ExecutableResource resource, string dataVariable)
    {
        var env = context.Resources.OfType<ExecutableResource>()
            .ToDictionary(r => $"{r.Name.ToUpperInvariant()}_URL", r => r.Endpoint);
        var data = Path.Combine(context.DataDirectory, resource.Name);
        Directory.CreateDirectory(data);
        env[dataVariable] = data;
        return env;
    }

    private static List<string> GrafanaArguments(AppHostContext context, ExecutableResource grafana) =>
        [
            "server",
            "--homepath", "/usr/share/grafana",
            $"cfg:paths.provisioning={Path.Combine(context.RepositoryRoot, "grafana", "provisioning")}",
            $"cfg:server.http_port={grafana.Port}",
            "cfg:server.http_addr=127.0.0.1",
        ];

    private static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination, overwrite: true);
        }
    }
}
