using Npgsql;

namespace Dashboard.BrowserTests;

/// <summary>A super admin sees retention (policies, schedule, runs and what they dropped) and runs it now.</summary>
public sealed class RetentionTests(BrowserSystem system)
{
    [Fact]
    public async Task ASuperAdminSeesThePoliciesAndRunsAndRunsRetentionNowSeeingWhatItDropped()
    {
        await using var session = await system.SignInAtAsync("/retention", "admin@platform.local");
        var policies = session.Page.Locator("[data-testid=policies]");
        Assert.Equal("90 days", (await policies.Locator("tr[data-category=activity] [data-testid=kept-for]").InnerTextAsync()).Trim());
        Assert.Equal("2,557 days", (await policies.Locator("tr[data-category=audit] [data-testid=kept-for]").InnerTextAsync()).Trim());
        Assert.Contains("Next run", await session.Page.Locator("[data-testid=schedule]").InnerTextAsync());

        // The job ran once shortly after the audit service started (this system starts it after 5 s), not after 6 hours.
        await Eventually.Async(async () =>
        {
            await session.Page.ReloadAsync();
            await session.WaitUntilInteractiveAsync();
            return await session.Page.Locator("[data-testid=runs] tr[data-trigger=start-up]").CountAsync() > 0 ? (bool?)true : null;
        }, 60);

        // An expired month of another tenant's activity: the page names it as due, and "Run now" drops it.
        var partition = await ExpiredActivityAsync(entries: 3);
        await session.Page.ReloadAsync();
        await session.WaitUntilInteractiveAsync();
        Assert.Contains(partition, await policies.Locator("tr[data-category=activity] [data-testid=next-expiry]").InnerTextAsync());
        await session.Page.ClickAsync("[data-testid=run-now]");
        await session.Page.Locator(".mud-dialog").GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Run now", Exact = true }).ClickAsync();
        var latest = session.Page.Locator("[data-testid=runs] tbody tr").First;
        await latest.Locator("[data-testid=partitions]", new() { HasText = partition }).WaitForAsync();
        Assert.StartsWith("manual by admin@platform.local", (await latest.Locator("[data-testid=trigger]").InnerTextAsync()).Trim());
        Assert.Equal("3 entries of 1 tenant in 1 partition", (await latest.Locator("[data-testid=dropped]").InnerTextAsync()).Trim());
        Assert.DoesNotContain(partition, await policies.Locator("tr[data-category=activity] [data-testid=next-expiry]").InnerTextAsync());
        await session.ScreenshotAsync("retention");
        Assert.Empty(session.ConsoleErrors);
    }

    /// <summary>
    /// Entries of a tenant of its own in a month nine months back, written as the cluster's superuser (ingestion refuses
    /// entries that old); their hashes are placeholders, as that tenant's chain is never verified. Answers the partition.
    /// </summary>
    private async Task<string> ExpiredActivityAsync(int entries)
    {
        var now = DateTimeOffset.UtcNow;
        var month = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(-9);
        var superuser = new NpgsqlConnectionStringBuilder(await system.Host.ConnectionStringAsync("postgres")) { Database = "auditdb" };
        await using var connection = new NpgsqlConnection(superuser.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT audit_ensure_partitions(@month::date, 1);
            INSERT INTO audit_events (tenant_id, seq, event_id, occurred_at, recorded_at, actor_type, actor_id, action, category, severity, prev_hash, hash)
            SELECT @tenant, g, gen_random_uuid(), @month + g * interval '1 hour', @month + g * interval '1 hour', 'system', 'browser-tests',
                   'test.expired', 'activity', 'info', decode(repeat('00', 32), 'hex'), decode(repeat('00', 32), 'hex')
            FROM generate_series(1, @entries) g;
            """, connection);
        command.Parameters.AddWithValue("month", month);
        command.Parameters.AddWithValue("tenant", Guid.CreateVersion7());
        command.Parameters.AddWithValue("entries", entries);
        await command.ExecuteNonQueryAsync();
        return $"audit_events_{month:yyyy_MM}_activity";
    }
}
