using System.Collections.Concurrent;
using System.Text.Json;

namespace AppHost.Observability;

/// <summary>
/// Prometheus's file-discovered targets, kept current from Aspire's resource notifications: every running instance of
/// a scraped project (each replica on its own port, not through the proxy, so counters never jump between replicas)
/// and Prometheus itself. An instance that stops stays a target, so Prometheus sees it down. Prometheus re-reads the file
/// when it changes.
/// </summary>
public sealed class ScrapeTargets(string file, IReadOnlyCollection<string> projects)
{
    private readonly ConcurrentDictionary<string, (string Job, string Address)> _targets = new();
    private readonly Lock _write = new();

    public void Add(string id, string job, string address)
    {
        _targets[id] = (job, address);
        Write();
    }

    public async Task FollowAsync(ResourceNotificationService notifications, CancellationToken ct)
    {
        try
        {
            await foreach (var update in notifications.WatchAsync(ct))
            {
                if (!projects.Contains(update.Resource.Name))
                {
                    continue;
                }

                var address = update.Snapshot.EnvironmentVariables.FirstOrDefault(v => v.Name == "ASPNETCORE_URLS")?.Value?.Split(';')[0];
                // A stopped or crashed instance stays listed: its failing scrape (up == 0) is what fires ServiceDown.
                // A restarted one replaces its old address.
                if (update.Snapshot.State?.Text == KnownResourceStates.Running && address is not null
                    && (!_targets.TryGetValue(update.ResourceId, out var known) || known.Address != new Uri(address).Authority))
                {
                    Add(update.ResourceId, update.Resource.Name, new Uri(address).Authority);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The AppHost is stopping.
        }
    }

    private void Write()
    {
        var json = JsonSerializer.Serialize(_targets.Values.OrderBy(t => t.Job).ThenBy(t => t.Address).Select(t => new
        {
            targets = new[] { t.Address },
            labels = new Dictionary<string, string> { ["job"] = t.Job, ["service"] = t.Job },
        }));
        lock (_write)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file + ".tmp", json);
            File.Move(file + ".tmp", file, overwrite: true);
        }
    }
}
