using AuditQueryBench;
using AuditService.Data;

namespace AuditService.QueryTests;

/// <summary>Events and months for tests that build or tamper with chains (their SQL goes through Testing.Sql).</summary>
public static class Chains
{
    public static AuditEvent Event(Guid tenant, DateTimeOffset at, string category = "audit", string action = "lead.created") =>
        new(Guid.CreateVersion7(), tenant, Microseconds.Truncate(at), "human", "ada", "Ada", null, action, category, "info",
            "lead", "42", null, $"{action} at {at:O}", null, "{\"stage\":\"won\"}", null, null, null, null, null, "0af7651916cd43dd8448eb211c80319c", null, "tests");

    /// <summary>A loader writing as <paramref name="adminConnection"/>, with the month <paramref name="monthsAgo"/> back partitioned.</summary>
    public static async Task<(ChainLoader Loader, DateTimeOffset Month)> LoaderForMonthAsync(string adminConnection, int monthsAgo)
    {
        var loader = new ChainLoader(adminConnection);
        var month = MonthStart(monthsAgo);
        await loader.EnsurePartitionsAsync(month, 1, Ct);
        return (loader, month);
    }

    public static DateTimeOffset MonthStart(int monthsAgo)
    {
        var now = DateTimeOffset.UtcNow;
        return new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(-monthsAgo);
    }
}
