using System.Collections.Concurrent;
using System.Diagnostics;
using AuditService.Ingestion;

namespace AuditService.Queries;

/// <summary>
/// Support staff and super admins reading a tenant's log leave an entry in that tenant's log
/// (<c>audit_log.viewed</c>), written through the service's own writer and committed before the answer:
/// once per reader and tenant in <see cref="ReadAuditOptions.Window"/> (per service instance), so that
/// paging through a log does not fill it with the reader's own entries.
/// </summary>
public sealed class ReadAuditor(AuditWriter writer, TimeProvider clock, IOptions<ReadAuditOptions> options)
{
    public const string ViewedAction = "audit_log.viewed";

    /// <summary>When a (reader, tenant) pair was last recorded, and that entry's write (awaited by repeats while it is in flight).</summary>
    private sealed record Viewed(DateTimeOffset At, Task Written);

    private readonly ConcurrentDictionary<(string Reader, Guid Tenant), Viewed> _recent = new();
    private readonly TimeSpan _window = options.Value.Window;
    private DateTimeOffset _swept = clock.GetUtcNow();

    /// <param name="always">Record even within the window (exports: the data leaves, every time).</param>
    public async Task RecordAsync(HttpContext http, ReaderScope reader, IEnumerable<Guid> tenants, string what, object? details = null, bool always = false)
    {
        if (!reader.AuditsItsReads)
        {
            return;
        }

        var now = clock.GetUtcNow();
        Sweep(now);
        var fresh = new List<(Guid Tenant, Viewed Claim, TaskCompletionSource Done)>();
        var pending = new List<Task>();
        foreach (var tenant in tenants.Distinct())
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var mine = new Viewed(now, done.Task);
            var current = always || _window == TimeSpan.Zero
                ? mine
                : _recent.AddOrUpdate((reader.ActorId, tenant), mine, (_, old) => now - old.At < _window ? old : mine);
            if (ReferenceEquals(current, mine))
            {
                fresh.Add((tenant, mine, done));
            }
            else if (!current.Written.IsCompletedSuccessfully)
            {
                pending.Add(current.Written);
            }
        }

        if (fresh.Count > 0)
        {
            await WriteAsync(http, reader, fresh, what, details, always);
        }

        // A repeat read is answered only once the first read's entry is durable.
        await Task.WhenAll(pending);
    }

    private async Task WriteAsync(HttpContext http, ReaderScope reader, List<(Guid Tenant, Viewed Claim, TaskCompletionSource Done)> fresh,
        string what, object? details, bool always)
    {
        var now = Microseconds.Truncate(clock.GetUtcNow());
        var metadata = CanonicalJson.Normalize(JsonSerializer.Serialize(new
        {
            endpoint = what, query = http.Request.QueryString.Value, role = reader.Kind, details,
            windowSeconds = always ? (long?)null : (long)_window.TotalSeconds,
        }));
        var activity = Activity.Current;
        var userAgent = Truncate(http.Request.Headers.UserAgent.ToString());
        var events = fresh.Select(f => new AuditEvent(
            Guid.CreateVersion7(), f.Tenant, now, "human", reader.ActorId, reader.ActorName, reader.ActorEmail,
            ViewedAction, "audit", "info", "audit_log", f.Tenant.ToString(), null,
            $"{reader.Kind} read this tenant's audit log ({what})", null, null, metadata, null, null,
            http.Connection.RemoteIpAddress, userAgent,
            activity?.TraceId.ToHexString(), activity?.SpanId.ToHexString(), ServiceNames.AuditService)).ToList();
        try
        {
            await writer.WriteAsync(events);
        }
        catch (Exception e)
        {
            // Not recorded: the next read in the window tries again, and reads waiting on this one fail with it.
            foreach (var f in fresh)
            {
                _recent.TryRemove(new KeyValuePair<(string, Guid), Viewed>((reader.ActorId, f.Tenant), f.Claim));
                f.Done.SetException(e);
            }

            throw;
        }

        foreach (var f in fresh)
        {
            f.Done.SetResult();
        }
    }

    /// <summary>Forgets pairs whose window has passed, at most once a window, so the map holds only recent readers.</summary>
    private void Sweep(DateTimeOffset now)
    {
        if (now - _swept < _window || _recent.IsEmpty)
        {
            return;
        }

        _swept = now;
        foreach (var (key, viewed) in _recent)
        {
            if (now - viewed.At >= _window && viewed.Written.IsCompleted)
            {
                _recent.TryRemove(new KeyValuePair<(string, Guid), Viewed>(key, viewed));
            }
        }
    }

    private static string? Truncate(string value) => value.Length == 0 ? null : value.Length > 500 ? value[..500] : value;
}
