using AuditQueryBench;
using AuditService.Chain;
using AuditService.Integrity;

namespace AuditService.QueryTests;

/// <summary>
/// The tamper battery, done as a database superuser (who bypasses every grant and policy): each change
/// is detected by the verifier and named, with the first bad sequence number.
/// </summary>
public sealed class TamperTests(ReadSideFixture app) : IClassFixture<ReadSideFixture>
{
    private async Task<Guid> ChainAsync(int count = 10)
    {
        var tenant = Guid.CreateVersion7();
        var start = DateTimeOffset.UtcNow.AddMinutes(-10);
        await app.WriteAsync([.. Enumerable.Range(0, count).Select(i => ReadSideFixture.Event(tenant, "ada", at: start.AddSeconds(i)))]);
        return tenant;
    }

    private async Task<ChainVerdict> VerifyAsync(Guid tenant, IReadOnlyList<Checkpoint>? exported = null)
    {
        using var client = app.WithKey(ReadSideFixture.ReadKey);
        var response = exported is null
            ? await client.GetAsync($"/api/v1/integrity/verify?tenant={tenant}", Ct)
            : await client.PostAsJsonAsync($"/api/v1/integrity/verify?tenant={tenant}", exported, Ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<ChainVerdict>(Ct))!;
    }

    private Task<int> AsSuperuser(string sql, Guid tenant) => Sql.ExecuteAsync(app.Database.Admin, sql, ("t", tenant));

    private static void AssertBad(ChainVerdict verdict, string kind, long seq)
    {
        Assert.False(verdict.Intact);
        Assert.True(kind == verdict.Kind, $"expected {kind}, got {verdict.Kind}: {verdict.Problem}");
        Assert.Equal(seq, verdict.FirstBadSeq);
        Assert.Contains(seq.ToString(System.Globalization.CultureInfo.InvariantCulture), verdict.Problem);
    }

    [Fact]
    public async Task AnUntouchedChainIsIntact()
    {
        var tenant = await ChainAsync();
        var verdict = await VerifyAsync(tenant);
        Assert.True(verdict.Intact, verdict.Problem);
        Assert.Equal(10, verdict.EventsChecked);
    }

    [Fact]
    public async Task TextBeyondAsciiIsStoredAsSentAndItsChainIsIntact()
    {
        // The writer hands Npgsql UTF-8 it encoded itself; what is stored must be what was hashed, character for character.
        var tenant = Guid.CreateVersion7();
        var e = ReadSideFixture.Event(tenant, "zoë-7");
        e.Actor!.Name = "Zoë Ångström 日本 😀";
        e.Description = "Überweisung \"quoted\" \\ tab\t line\nend";
        e.Resource = new ResourceDto { Type = "invoice", Id = "№ 42", Name = "Façade ☂" };
        e.After = System.Text.Json.JsonDocument.Parse("""{"note": "Crème brûlée 🍮", "n": 1.50}""").RootElement;
        await app.WriteAsync(e, ReadSideFixture.Event(tenant, "ada"));

        var verdict = await VerifyAsync(tenant);
        Assert.True(verdict.Intact, verdict.Problem);
        Assert.Equal(2, verdict.EventsChecked);
        using var admin = app.AsTenantAdmin(tenant);
        var stored = (await admin.GetFromJsonAsync<AuditEntryDetail>($"/api/v1/audit-events/{e.Id}", Ct))!.Entry;
        Assert.Equal(("zoë-7", e.Actor.Name, e.Description), (stored.Actor.Id, stored.Actor.Name, stored.Description));
        Assert.Equal(("№ 42", "Façade ☂"), (stored.Resource!.Id, stored.Resource.Name));
        Assert.Equal("Crème brûlée 🍮", stored.After!.Value.GetProperty("note").GetString());
    }

    [Theory]
    // An edited field is altered; a deleted row is deleted, not expired; reordered rows are unlinked.
    [InlineData("UPDATE audit_events SET description = 'nothing happened' WHERE tenant_id = @t AND seq = 5", ChainProblems.Altered, 5)]
    [InlineData("DELETE FROM audit_events WHERE tenant_id = @t AND seq = 7", ChainProblems.Deleted, 7)]
    [InlineData("UPDATE audit_events SET seq = CASE seq WHEN 3 THEN 4 ELSE 3 END WHERE tenant_id = @t AND seq IN (3, 4)", ChainProblems.Unlinked, 3)]
    public async Task AnEditedDeletedOrReorderedRowIsNamedWithItsSeq(string tamper, string kind, long seq)
    {
        var tenant = await ChainAsync();
        await AsSuperuser(tamper, tenant);
        AssertBad(await VerifyAsync(tenant), kind, seq);
    }

    [Fact]
    public async Task AVerificationThatFindsAChainBrokenIsCountedForTheAlertThatPages()
    {
        var tenant = await ChainAsync();
        Assert.True((await VerifyAsync(tenant)).Intact);
        var before = await VerificationsAsync("broken");

        await AsSuperuser("DELETE FROM audit_events WHERE tenant_id = @t AND seq = 2", tenant);
        Assert.False((await VerifyAsync(tenant)).Intact);

        // AuditChainBroken pages on an increase of the broken count too (prometheus/rules/alerts.yml). The exporter caches
        // a scrape for a moment, so the next one may come a little later.
        await Eventually.Async(async () => await VerificationsAsync("broken") >= before + 1 ? (bool?)true : null, 5);
        Assert.True(await VerificationsAsync("intact") >= 1);
    }

    [Fact]
    public async Task TheScheduledWalkFindsABrokenChainNobodyAskedAboutAndPagesUntilItIsIntactAgain()
    {
        var intact = await ChainAsync();
        var broken = await ChainAsync();
        await AsSuperuser("UPDATE audit_events SET description = description || ' (edited)' WHERE tenant_id = @t AND seq = 4", broken);
        var walk = app.Services.GetRequiredService<ChainWalkJob>();

        var verdicts = await walk.WalkAsync(Ct);
        Assert.True(Assert.Single(verdicts, v => v.TenantId == intact).Intact);
        AssertBad(Assert.Single(verdicts, v => v.TenantId == broken), ChainProblems.Altered, 4);
        // AuditChainBroken fires while this gauge is above zero (prometheus/rules/alerts.yml).
        var brokenChains = verdicts.Count(v => !v.Intact);
        Assert.Equal(brokenChains, BrokenChains());

        // Put back, the chain is intact at the next walk, and no longer counted.
        await AsSuperuser("UPDATE audit_events SET description = left(description, -9) WHERE tenant_id = @t AND seq = 4", broken);
        verdicts = await walk.WalkAsync(Ct);
        Assert.True(Assert.Single(verdicts, v => v.TenantId == broken).Intact);
        Assert.Equal(brokenChains - 1, verdicts.Count(v => !v.Intact));
        Assert.Equal(brokenChains - 1, BrokenChains());
    }

    [Theory]
    [InlineData("DELETE FROM tenant_chains WHERE tenant_id = @t")]
    [InlineData("UPDATE tenant_chains SET last_seq = 0 WHERE tenant_id = @t")]
    public async Task TheWalkStillVisitsATenantWhoseChainHeadWasDeletedOrRewound(string tamper)
    {
        var tenant = await ChainAsync();
        await AsSuperuser(tamper, tenant);

        var verdicts = await app.Services.GetRequiredService<ChainWalkJob>().WalkAsync(Ct);

        var verdict = Assert.Single(verdicts, v => v.TenantId == tenant);
        Assert.False(verdict.Intact, "a chain whose head no longer matches its events is not intact");
    }

    private async Task<double> VerificationsAsync(string outcome)
    {
        using var scraper = app.CreateClient();
        var lines = (await scraper.GetStringAsync("/metrics", Ct)).Split('\n')
            .Where(l => l.StartsWith("audit_chain_verifications_total{", StringComparison.Ordinal) && l.Contains($"outcome=\"{outcome}\"", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(lines);
        return lines.Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// This host's audit.chains.broken, read from its own instrument. Several AuditService hosts share this test process, and
    /// each one's exporter listens to every meter of the name, so a scrape of a gauge may show another host's value.
    /// </summary>
    private int BrokenChains()
    {
        var meter = app.Services.GetRequiredService<Microsoft.Extensions.Hosting.ServiceTelemetry>().Meter;
        int? value = null;
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == meter && instrument.Name == "audit.chains.broken")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((_, measured, _, _) => value = measured);
        listener.Start();
        listener.RecordObservableInstruments();
        return Assert.NotNull(value);
    }

    [Fact]
    public async Task ABackdatedRowWithAValidHashIsNamedAsBackdated()
    {
        var tenant = await ChainAsync();
        var head = await Sql.ScalarAsync<byte[]>(app.Database.Admin, "SELECT last_hash FROM tenant_chains WHERE tenant_id = @t", ("t", tenant));
        var loader = new ChainLoader(app.Database.Admin);
        loader.Continue(tenant, 10, head);
        await loader.LoadAsync([Chains.Event(tenant, DateTimeOffset.UtcNow.AddDays(-10))], Ct);
        AssertBad(await VerifyAsync(tenant), ChainProblems.Backdated, 11);
    }

    [Fact]
    public async Task ARowMovedToAnotherTenantIsMissingFromOneChainAndForeignInTheOther()
    {
        var source = await ChainAsync();
        var target = await ChainAsync();
        await Sql.ExecuteAsync(app.Database.Admin, "UPDATE audit_events SET tenant_id = @target WHERE tenant_id = @source AND seq = 4",
            ("source", source), ("target", target));
        AssertBad(await VerifyAsync(source), ChainProblems.Deleted, 4);
        var foreign = await VerifyAsync(target);
        Assert.Equal(4, foreign.FirstBadSeq);
        Assert.Contains(foreign.Kind, new[] { ChainProblems.Duplicate, ChainProblems.Unlinked });
    }

    [Fact]
    public async Task APartitionDroppedInsideRetentionIsNamedAsDeleted()
    {
        var tenant = Guid.CreateVersion7();
        var (loader, month) = await Chains.LoaderForMonthAsync(app.Database.Admin, 3);
        await loader.LoadAsync([.. Enumerable.Range(0, 3).Select(i => Chains.Event(tenant, month.AddDays(1 + i)))], Ct);
        await loader.LoadAsync([.. Enumerable.Range(0, 3).Select(i => Chains.Event(tenant, DateTimeOffset.UtcNow.AddMinutes(-5 + i)))], Ct);
        Assert.True((await VerifyAsync(tenant)).Intact);

        await AsSuperuser($"DROP TABLE audit_events_{month:yyyy_MM}_audit", tenant);

        AssertBad(await VerifyAsync(tenant), ChainProblems.Deleted, 1);
    }

    [Fact]
    public async Task ARewrittenTailIsCaughtByTheStoredCheckpointsAndByExportedOnesWhenThoseAreGone()
    {
        var tenant = await ChainAsync();
        await app.Services.GetRequiredService<CheckpointStore>().CheckpointAsync(Ct);
        using var client = app.WithKey(ReadSideFixture.ReadKey);
        var exported = await client.GetFromJsonAsync<List<Checkpoint>>($"/api/v1/integrity/checkpoints?tenant={tenant}", Ct);
        Assert.Equal(10, Assert.Single(exported!).Seq);

        // The attacker replaces events 6..10 with a freshly hashed tail and moves the head: internally consistent.
        var hash5 = await Sql.ScalarAsync<byte[]>(app.Database.Admin, "SELECT hash FROM audit_events WHERE tenant_id = @t AND seq = 5", ("t", tenant));
        await AsSuperuser("DELETE FROM audit_events WHERE tenant_id = @t AND seq > 5", tenant);
        var loader = new ChainLoader(app.Database.Admin);
        loader.Continue(tenant, 5, hash5);
        await loader.LoadAsync([.. Enumerable.Range(0, 5).Select(i => Chains.Event(tenant, DateTimeOffset.UtcNow.AddSeconds(i), action: "lead.updated"))], Ct);

        AssertBad(await VerifyAsync(tenant), ChainProblems.Rewritten, 10);

        // With the stored checkpoints removed too, only the copy kept outside the database tells.
        await AsSuperuser("DELETE FROM chain_checkpoints WHERE tenant_id = @t", tenant);
        Assert.True((await VerifyAsync(tenant)).Intact);
        AssertBad(await VerifyAsync(tenant, exported), ChainProblems.Rewritten, 10);

        // A forged checkpoint (not signed with the service's key) is refused by name.
        var forged = exported![0] with { Hash = Convert.ToHexStringLower(new byte[32]) };
        AssertBad(await VerifyAsync(tenant, [forged]), ChainProblems.ForgedRecord, 10);
    }

    [Fact]
    public async Task AnUntouchedChainOfAHundredThousandEntriesVerifiesIntact()
    {
        var tenant = Guid.CreateVersion7();
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        await app.WriteAsync([.. Enumerable.Range(0, 100_000).Select(i => ReadSideFixture.Event(tenant, $"user-{i % 50}", at: start.AddMilliseconds(i * 10)))]);

        var verdict = await VerifyAsync(tenant);

        Assert.True(verdict.Intact, verdict.Problem);
        Assert.Equal(100_000, verdict.EventsChecked);
    }
}
