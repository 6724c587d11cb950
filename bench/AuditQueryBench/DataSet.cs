using System.Net;
using AuditService.Chain;
using AuditService.Data;

namespace AuditQueryBench;

/// <summary>
/// The benchmark's events: spread evenly over the last 30 days (or <c>span</c>) and across the tenants (or to
/// the tenant <c>tenantOf</c> picks for the event's index), so that every tenant's chain runs in time order;
/// 20 actions in 4 namespaces, 50 actors a tenant, a few errors.
/// </summary>
public static class DataSet
{
    private static readonly string[] Actions =
    [
        "user.created", "user.invited", "user.updated", "user.deleted", "user.signed_in",
        "lead.created", "lead.updated", "lead.deleted", "lead.assigned", "lead.won",
        "tenant.updated", "tenant.plan_changed", "api_key.created", "api_key.revoked", "report.exported",
        "invoice.created", "invoice.paid", "invoice.voided", "settings.changed", "export.requested",
    ];

    public static Guid Tenant(int index) => new($"00000000-0000-7000-8000-{index:D12}");

    /// <summary>
    /// The events <paramref name="from"/> to <paramref name="to"/>; with <paramref name="workers"/> above 1 only those of
    /// the tenants whose index falls to <paramref name="worker"/>, so that parallel loaders each own whole chains.
    /// </summary>
    public static IEnumerable<AuditEvent> Generate(long from, long to, long total, int tenants, DateTimeOffset end,
        TimeSpan? within = null, Func<long, Guid>? tenantOf = null, int worker = 0, int workers = 1)
    {
        var span = within ?? TimeSpan.FromDays(30);
        var start = end - span;
        for (var i = from; i < to; i++)
        {
            if (workers > 1 && i % tenants % workers != worker)
            {
                continue;
            }

            var random = new Random((int)(i % int.MaxValue));
            var tenant = tenantOf?.Invoke(i) ?? Tenant((int)(i % tenants));
            var at = Microseconds.Truncate(start + span * ((double)i / total));
            var action = Actions[random.Next(Actions.Length)];
            var actor = $"user-{random.Next(50)}";
            var severity = random.Next(100) switch { < 90 => "info", < 96 => "warning", < 99 => "error", _ => "critical" };
            var trace = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
            yield return new AuditEvent(Guid.CreateVersion7(at), tenant, at, "human", actor, $"User {actor}", $"{actor}@tenant.example",
                action, random.Next(5) == 0 ? "activity" : "audit", severity, "lead", $"lead-{random.Next(10_000)}", "A lead",
                $"{action} by {actor} on lead {random.Next(10_000)}", "{\"stage\":\"new\",\"value\":100}", "{\"stage\":\"won\",\"value\":250}",
                null, severity is "error" or "critical" ? "Something failed" : null, null, IPAddress.Parse("203.0.113.7"), "bench/1.0",
                trace, trace[..16], "api");
        }
    }
}
