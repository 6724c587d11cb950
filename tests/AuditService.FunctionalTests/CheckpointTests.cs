using AuditService.Chain;
using AuditService.Integrity;
using Microsoft.Extensions.DependencyInjection;

namespace AuditService.FunctionalTests;

/// <summary>
/// Chain heads are signed at start-up and every Integrity:CheckpointEvery events (in the commit itself), so a cut
/// tail is caught however often the service restarts, and the verifier says how far back it can vouch.
/// </summary>
public sealed class CheckpointTests(PostgresServer postgres)
{
    [Fact]
    public async Task AServiceRestartedBeforeTheIntervalSignsAtStartUpSoACutTailIsCaught()
    {
        var database = await postgres.CreateDatabaseAsync("checkpoint_restart");
        var tenant = Guid.CreateVersion7();
        await using (var first = new Host(database))
        {
            await first.WriteAsync(tenant, 3);
        }

        await using var second = new Host(database);
        _ = second.Server;
        // The restarted service signs the chain head at start-up, not an hour later.
        await Eventually.Async<object>(async () =>
            await ScalarAsync<long>(database, "SELECT coalesce(max(seq), 0) FROM chain_checkpoints WHERE tenant_id = @t", tenant) == 3 ? true : null, seconds: 20);
        var verifier = second.Services.GetRequiredService<ChainVerifier>();
        var before = await verifier.VerifyAsync(tenant, Ct);
        Assert.True(before.Intact, before.Problem);
        Assert.Equal(3, before.SignedThroughSeq);

        await CutTailAsync(database, tenant, keep: 2);

        var after = await verifier.VerifyAsync(tenant, Ct);
        Assert.False(after.Intact);
        Assert.Equal(ChainProblems.Truncated, after.Kind);
        Assert.Equal(3, after.FirstBadSeq);
    }

    [Fact]
    public async Task TheWriterSignsTheHeadInTheSameCommitEachTimeATenantPassesCheckpointEveryEvents()
    {
        var database = await postgres.CreateDatabaseAsync("checkpoint_every");
        var tenant = Guid.CreateVersion7();
        await using var host = new Host(database, ("Integrity:CheckpointEvery", "5"));

        await host.WriteAsync(tenant, 4);
        Assert.Equal(0, await ScalarAsync<long>(database, "SELECT count(*) FROM chain_checkpoints WHERE tenant_id = @t", tenant));
        await host.WriteAsync(tenant, 7); // seq 5 to 11: passes 5 and 10 in one commit, which signs its last head

        // Read right after the answer: the checkpoint committed with the events.
        Assert.Equal(11, await ScalarAsync<long>(database, "SELECT max(seq) FROM chain_checkpoints WHERE tenant_id = @t", tenant));
        await CutTailAsync(database, tenant, keep: 9);
        var verdict = await host.Services.GetRequiredService<ChainVerifier>().VerifyAsync(tenant, Ct);
        Assert.Equal(ChainProblems.Truncated, verdict.Kind);
    }

    /// <summary>What an attacker with the database would do: delete the newest events and rewind the chain head to match.</summary>
    private static Task CutTailAsync(TestDatabase database, Guid tenant, long keep) => Sql.ExecuteAsync(
        database.Admin,
        """
        DELETE FROM audit_events WHERE tenant_id = @t AND seq > @keep;
        DELETE FROM audit_event_ids WHERE tenant_id = @t AND seq > @keep;
        UPDATE tenant_chains SET last_seq = @keep, last_hash = (SELECT hash FROM audit_events WHERE tenant_id = @t AND seq = @keep)
        WHERE tenant_id = @t;
        """,
        ("t", tenant), ("keep", keep));

    private static Task<T> ScalarAsync<T>(TestDatabase database, string sql, Guid tenant) => Sql.ScalarAsync<T>(database.Admin, sql, ("t", tenant));

    /// <summary>AuditService in memory over the given database; a new one over the same database is a restart.</summary>
    private sealed class Host(TestDatabase database, params (string Key, string Value)[] settings)
        : InMemoryAuditService<Program>(new AuditServiceHost(database, SeededKey.Writer(AuditServiceFixture.PlatformWriteKey))
        {
            Settings = settings.ToDictionary(s => s.Key, s => s.Value),
        })
    {
        public async Task WriteAsync(Guid tenant, int count)
        {
            using var client = WithKey(AuditServiceFixture.PlatformWriteKey);
            var response = await client.PostAsJsonAsync("/api/v1/events", Enumerable.Range(0, count).Select(_ => AuditServiceFixture.NewEvent(tenant)).ToArray(), Ct);
            response.EnsureSuccessStatusCode();
        }
    }
}
