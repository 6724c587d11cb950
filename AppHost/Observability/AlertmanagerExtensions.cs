using System.Text.Json;

namespace AppHost.Observability;

public static class AlertmanagerExtensions
{
    /// <summary>The address alertmanager/alertmanager.yml names for the Api's webhook (the Api's default port).</summary>
    private const string ConfiguredApi = "http://localhost:5101/";

    /// <summary>
    /// The machine's Alertmanager with the repo's alertmanager.yml: Prometheus sends it every alert, and it routes each
    /// firing and resolved one to the Api's webhook, which makes it an in-app notification and an audit entry. The config
    /// is copied to the data folder with the webhook pointed at the Api's real address and the shared secret written
    /// beside it (owner-only), so the secret never sits in the repo's file.
    /// </summary>
    public static IResourceBuilder<IResource> AddAlertmanager(this IDistributedApplicationBuilder builder, string name, int port,
        IResourceBuilder<ProjectResource> api, IResourceBuilder<ParameterResource> webhookSecret)
    {
        if (Tools.Find("prometheus-alertmanager", "alertmanager") is not { } binary)
        {
            return builder.AddNotInstalled(name, "alerts are evaluated but reach no one: no in-app notifications (apt-get install -y prometheus-alertmanager)");
        }

        var root = Path.Combine(builder.DataDirectory(), name);
        var alertmanager = builder.AddPrometheusServer(name, binary, port, Path.Combine(root, "alertmanager.yml"), "--storage.path", Path.Combine(root, "data"))
            // A single Alertmanager: no cluster port to listen on for peers.
            .WithArgs("--cluster.listen-address=")
            .WaitFor(api);
        alertmanager.OnBeforeResourceStarted(async (_, _, ct) =>
        {
            Directory.CreateDirectory(root);
            var config = await File.ReadAllTextAsync(Path.Combine(builder.RepositoryRoot(), "alertmanager", "alertmanager.yml"), ct);
            var apiUrl = new Uri(api.GetEndpoint("http").Url).GetLeftPart(UriPartial.Authority) + "/";
            await File.WriteAllTextAsync(Path.Combine(root, "alertmanager.yml"), config.Replace(ConfiguredApi, apiUrl, StringComparison.Ordinal), ct);
            var secretFile = Path.Combine(root, "alert-webhook-secret");
            await File.WriteAllTextAsync(secretFile, await webhookSecret.Resource.GetValueAsync(ct), ct);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(secretFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        });
        return alertmanager;
    }

    /// <summary>Prometheus sends its alerts to this Alertmanager (the alertmanagers/*.json file prometheus.yml reads).</summary>
    public static IResourceBuilder<IResource> WithAlertmanager(this IResourceBuilder<IResource> prometheus, IResourceBuilder<IResource> alertmanager)
    {
        if (prometheus.Resource is ExecutableResource && alertmanager.Resource is ExecutableResource target)
        {
            prometheus.Resource.Annotations.Add(new AlertmanagerAnnotation(target));
        }

        return prometheus;
    }

    /// <summary>Writes the Alertmanagers file into Prometheus's copied configuration folder.</summary>
    internal static void WriteAlertmanagers(IResource prometheus, string configFolder)
    {
        var targets = prometheus.Annotations.OfType<AlertmanagerAnnotation>()
            .Select(a => new { targets = new[] { new Uri(a.Alertmanager.GetEndpoint("http").Url).Authority } });
        var file = Path.Combine(configFolder, "alertmanagers", "alertmanager.json");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, JsonSerializer.Serialize(targets));
    }

    private sealed record AlertmanagerAnnotation(ExecutableResource Alertmanager) : IResourceAnnotation;
}
