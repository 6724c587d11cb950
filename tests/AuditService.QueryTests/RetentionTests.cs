using AuditQueryBench;
using AuditService.Chain;
using AuditService.Integrity;
using AuditService.Queries;
using AuditService.Retention;
using Npgsql;

namespace AuditService.QueryTests;

/// <summary>Retention drops whole expired partitions only, and leaves a signed record the verifier accepts as expiry.</summary>
public sealed class RetentionTests(ReadSideFixture app) : IClassFixture<ReadSideFixture>
{
    [Fact]
    public async Task OnlyExpiredActivityPartitionsAreDroppedAndTheGapVerifiesAsExpiry()
    {
        var tenant = Guid.CreateVersion7();
        var loader = new ChainLoader(app.Database.Admin);
        var (m6, m5, m2) = (Chains.MonthStart(6), Chains.MonthStart(5), Chains.MonthStart(2));
        await loader.EnsurePartitionsAsync(m6, 9, Ct);
        await loader.LoadAsync(
        [
            Chains.Event(tenant, m6.AddDays(1), "activity"), Chains.Event(tenant, m6.AddDays(2), "audit"), Chains.Event(tenant, m6.AddDays(3), "activity"),
            Chains.Event(tenant, m5.AddDays(1), "activity"), Chains.Event(tenant, m5.AddDays(2), "audit"), Chains.Event(tenant, m5.AddDays(3), "activity"),
            Chains.Event(tenant, m2.AddDays(1), "activity"), Chains.Event(tenant, m2.AddDays(2), "audit"),
            Chains.Event(tenant, DateTimeOffset.UtcNow.AddMinutes(-5), "activity"), Chains.Event(tenant, DateTimeOffset.UtcNow.AddMinutes(-4), "audit"),
        ], Ct);
        var before = await PartitionsAsync();

        var records = await app.Services.GetRequiredService<RetentionJob>().RunAsync(Ct);

        var after = await PartitionsAsync();
        var dropped = before.Except(after).Order().ToArray();
        // Every activity month that ended 90 days ago or more (empty ones too), and nothing else.
        var expired = Enumerable.Range(2, 5).Where(k => Chains.MonthStart(k - 1) <= DateTimeOffset.UtcNow.AddDays(-90))
            .Select(k => $"audit_events_{Chains.MonthStart(k):yyyy_MM}_activity").Order();
        Assert.Equal(expired, dropped);
        Assert.Contains($"audit_events_{m5:yyyy_MM}_activity", dropped);
        Assert.Contains($"audit_events_{m2:yyyy_MM}_activity", after);
        Assert.All(before.Where(p => p.EndsWith("_audit", StringComparison.Ordinal)), p => Assert.Contains(p, after));
        Assert.Equal(4, records.Where(r => r.TenantId == tenant).Sum(r => r.DroppedCount));

        using var client = app.WithKey(ReadSideFixture.ReadKey);
        var verdict = await client.GetFromJsonAsync<ChainVerdict>($"/api/v1/integrity/verify?tenant={tenant}", Ct);
        Assert.True(verdict!.Intact, verdict.Problem);
        Assert.Equal(4, verdict.EventsExpired);

        var applied = await client.GetFromJsonAsync<AuditEntryPage>($"/api/v1/audit-events?tenant={tenant}&action={RetentionJob.AppliedAction}", Ct);
        Assert.Equal(2, applied!.Items.Count);
        Assert.All(applied.Items, e => Assert.Equal("retention", e.Actor.Id));

        // Running again drops nothing more.
        Assert.Empty(await app.Services.GetRequiredService<RetentionJob>().RunAsync(Ct));

        // A retention record edited to excuse a deletion no longer verifies, and says so.
        await Sql.ExecuteAsync(app.Database.Admin,
            "UPDATE retention_records SET last_seq = last_seq + 2 WHERE tenant_id = @t AND partition_name = @p",
            ("t", tenant), ("p", $"audit_events_{m5:yyyy_MM}_activity"));
        var forged = await client.GetFromJsonAsync<ChainVerdict>($"/api/v1/integrity/verify?tenant={tenant}", Ct);
        Assert.Equal(ChainProblems.ForgedRecord, forged!.Kind);
    }

    [Fact]
    public async Task ASuperAdminSeesThePolicyAndRunsRetentionNowWhichIsRecordedAndAudited()
    {
        var tenant = Guid.CreateVersion7();
        var (loader, m9) = await Chains.LoaderForMonthAsync(app.Database.Admin, 9);
        var expired = $"audit_events_{m9:yyyy_MM}_activity";
        await loader.LoadAsync(
        [
            Chains.Event(tenant, m9.AddDays(1), "activity"), Chains.Event(tenant, m9.AddDays(2), "audit"), Chains.Event(tenant, m9.AddDays(3), "activity"),
        ], Ct);
        using var root = app.WithToken(app.Tokens.Issue("root", "super_admin"));

        var before = (await root.GetFromJsonAsync<RetentionStatus>("/api/v1/retention", Ct))!;
        var activity = before.Policies.Single(p => p.Category == "activity");
        Assert.Equal(90, activity.KeepDays);
        Assert.Equal(expired, activity.NextExpiringPartition);
        Assert.True(activity.NextExpiryAt < DateTimeOffset.UtcNow);
        Assert.True(activity.OldestHeldFrom <= m9);
        Assert.Equal(7 * 365 + 2, before.Policies.Single(p => p.Category == "audit").KeepDays);
        Assert.Equal(TimeSpan.FromHours(6), before.Interval);

        var response = await root.PostAsync("/api/v1/retention/run", null, Ct);
        response.EnsureSuccessStatusCode();
        var run = (await response.Content.ReadFromJsonAsync<RetentionRunView>(Ct))!;
        Assert.Equal((RetentionTriggers.Manual, "root@example.com", (string?)null), (run.Trigger, run.RequestedBy, run.Error));
        Assert.Contains(expired, run.Partitions);
        Assert.DoesNotContain(run.Partitions, p => p.EndsWith("_audit", StringComparison.Ordinal));
        Assert.True(run.DroppedEvents >= 2);

        var after = (await root.GetFromJsonAsync<RetentionStatus>("/api/v1/retention", Ct))!;
        Assert.Equal(run.Id, after.Runs[0].Id);
        Assert.NotEqual(expired, after.Policies.Single(p => p.Category == "activity").NextExpiringPartition);

        // The request is on record in the platform's own log, with the run it started.
        var requested = await root.GetFromJsonAsync<AuditEntryPage>($"/api/v1/audit-events?tenant={AuditTenants.Platform}&action={RetentionApi.RunRequestedAction}", Ct);
        var entry = Assert.Single(requested!.Items, e => e.Resource?.Id == run.Id.ToString());
        Assert.Equal("root", entry.Actor.Id);

        // Super admins only.
        using var admin = app.AsTenantAdmin(tenant);
        using var key = app.WithKey(ReadSideFixture.ReadKey);
        foreach (var client in new[] { admin, key })
        {
            Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/retention", Ct)).StatusCode);
            Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await client.PostAsync("/api/v1/retention/run", null, Ct)).StatusCode);
        }

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync("/api/v1/retention", Ct)).StatusCode);
    }

    [Fact]
    public async Task TheJobRunsOnceShortlyAfterStartUpThenEveryInterval()
    {
        var started = DateTimeOffset.UtcNow;
        await using var restarted = app.WithWebHostBuilder(b => b.UseSetting("Retention:FirstRunDelay", "00:00:01"));
        using var root = restarted.CreateClient();
        root.DefaultRequestHeaders.Authorization = new("Bearer", app.Tokens.Issue("root", "super_admin"));

        var status = await Testing.Eventually.Async(async () =>
        {
            var status = await root.GetFromJsonAsync<RetentionStatus>("/api/v1/retention", Ct);
            return status!.Runs.Any(r => r.Trigger == RetentionTriggers.StartUp && r.StartedAt >= started) ? status : null;
        }, 30);

        Assert.Null(status.Runs.First(r => r.Trigger == RetentionTriggers.StartUp).Error);
        // The next run is the schedule's, an interval (6 hours) after the first.
        Assert.InRange(status.NextRunAt!.Value - started, TimeSpan.FromHours(6), TimeSpan.FromHours(6) + TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task ARowDeletedInsideARetainedRangeIsStillNamedAsDeleted()
    {
        var tenant = Guid.CreateVersion7();
        var (loader, m7) = await Chains.LoaderForMonthAsync(app.Database.Admin, 7);
        await loader.LoadAsync(
        [
            Chains.Event(tenant, m7.AddDays(1), "activity"), Chains.Event(tenant, m7.AddDays(2), "audit"), Chains.Event(tenant, m7.AddDays(3), "activity"),
            Chains.Event(tenant, DateTimeOffset.UtcNow.AddMinutes(-1), "audit"),
        ], Ct);
        await app.Services.GetRequiredService<RetentionJob>().RunAsync(Ct);

        // seq 2 (audit) lies between the two dropped activity events: covered by the record's range, but not by its count.
        await Sql.ExecuteAsync(app.Database.Admin, "DELETE FROM audit_events WHERE tenant_id = @t AND seq = 2", ("t", tenant));

        using var client = app.WithKey(ReadSideFixture.ReadKey);
        var verdict = await client.GetFromJsonAsync<ChainVerdict>($"/api/v1/integrity/verify?tenant={tenant}", Ct);
        Assert.False(verdict!.Intact);
        Assert.Equal(ChainProblems.Deleted, verdict.Kind);
    }

    private async Task<List<string>> PartitionsAsync()
    {
        await using var connection = new NpgsqlConnection(app.Database.Admin);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("SELECT name FROM audit_partitions()", connection);
        var names = new List<string>();
        await using var r = await command.ExecuteReaderAsync(Ct);
        while (await r.ReadAsync(Ct))
        {
            names.Add(r.GetString(0));
        }

        return names;
    }
}
