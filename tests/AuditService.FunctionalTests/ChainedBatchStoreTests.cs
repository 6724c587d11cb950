using System.Diagnostics.Metrics;
using AuditService.Data;
using AuditService.Ingestion;
using AuditService.Integrity;
using Microsoft.Extensions.DependencyInjection;

namespace AuditService.FunctionalTests;

/// <summary>
/// The writer's store against the real database: a group is first tried without looking its ids up, and a resent id
/// (refused by the id ledger's key) sends the group round again with the look-up, so nothing is stored twice.
/// </summary>
public sealed class ChainedBatchStoreTests(AuditServiceFixture app) : IClassFixture<AuditServiceFixture>
{
    [Fact]
    public async Task GroupWithAResentIdIsCommittedAgainWithTheLookUpAndStoresEachEventOnce()
    {
        var tenant = Guid.CreateVersion7();
        var first = Events(tenant, 3);
        var resent = new[] { first[1] }.Concat(Events(tenant, 2)).ToArray();

        // A fresh store starts optimistic; so does each one here.
        var stored = await NewStore().CommitAsync([new WriteRequest(first)], Ct);
        var again = await NewStore().CommitAsync([new WriteRequest(resent), new WriteRequest([first[0]])], Ct);

        Assert.Equal([1L, 2, 3], stored[0].Select(r => r.Seq));
        Assert.Equal([new IngestResult(first[1].Id, "duplicate", 2), new IngestResult(resent[1].Id, "accepted", 4),
            new IngestResult(resent[2].Id, "accepted", 5)], again[0]);
        Assert.Equal([new IngestResult(first[0].Id, "duplicate", 1)], again[1]);
        await app.AssertChainIntactAsync(tenant, 5);
    }

    [Fact]
    public async Task AfterAResentIdTheNextGroupsLookUpFirstAndThenTheStoreIsOptimisticAgain()
    {
        var tenant = Guid.CreateVersion7();
        var store = NewStore();
        var first = Events(tenant, 1);
        using var retries = new RetryCounter(app.Services.GetRequiredService<Microsoft.Extensions.Hosting.ServiceTelemetry>().Meter);
        await store.CommitAsync([new WriteRequest(first)], Ct);
        Assert.Equal(0, retries.Count);

        var resent = await store.CommitAsync([new WriteRequest(first)], Ct);
        Assert.Equal(1, retries.Count);
        var resentInTheWindow = await store.CommitAsync([new WriteRequest(first)], Ct);
        Assert.Equal(1, retries.Count); // looked up first: no wasted attempt

        // The rest of the window: new events, stored in order.
        for (var i = 0; i < ChainedBatchStore.LookUpGroupsAfterResend - 1; i++)
        {
            var results = await store.CommitAsync([new WriteRequest(Events(tenant, 1))], Ct);
            Assert.Equal(new IngestResult(results[0][0].Id, "accepted", i + 2), Assert.Single(results[0]));
        }

        var afterTheWindow = await store.CommitAsync([new WriteRequest(first)], Ct);
        Assert.Equal(2, retries.Count);
        Assert.All(new[] { resent, resentInTheWindow, afterTheWindow },
            r => Assert.Equal(new IngestResult(first[0].Id, "duplicate", 1), Assert.Single(r[0])));
    }

    private sealed class RetryCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _count;

        // Only this fixture's service: other classes' services run alongside, with meters of the same name.
        public RetryCounter(Meter meter)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter == meter && instrument.Name == "audit.ingest.group.retries")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _count, value));
            _listener.Start();
        }

        public long Count => Interlocked.Read(ref _count);

        public void Dispose() => _listener.Dispose();
    }

    [Fact]
    public async Task GroupsLargerThanTheLanesTextBufferAreStoredAsSentAndTheNextGroupReusesIt()
    {
        // 30 stacks of 16,000 characters (up to 48 KB of UTF-8 each) outgrow the lane's buffer several times in one group,
        // and it is given back (shrunk) before the next one; text already handed to Npgsql must survive both.
        var tenant = Guid.CreateVersion7();
        var store = NewStore();
        var stacks = Enumerable.Range(0, 30).Select(i => $"{i:D2} " + string.Concat(Enumerable.Repeat("Zürich 日本 😀 ", 1300))[..15_997]).ToArray();
        var large = Events(tenant, stacks.Length, (e, i) => e.Error = new ErrorDto { Message = "boom", Stack = stacks[i] });
        await store.CommitAsync([new WriteRequest(large)], Ct);
        await store.CommitAsync([new WriteRequest(Events(tenant, 3))], Ct);

        var stored = await Sql.ScalarAsync<string[]>(app.Database.Admin,
            "SELECT array_agg(coalesce(error_stack, '') ORDER BY seq) FROM audit_events WHERE tenant_id = @t", ("t", tenant));
        Assert.Equal([.. stacks, "", "", ""], stored);
        await app.AssertChainIntactAsync(tenant, 33);
    }

    private ChainedBatchStore NewStore(int checkpointEvery = 1000) => new(app.Services.GetRequiredService<AuditDb>(), TimeProvider.System,
        app.Services.GetRequiredService<IngestMetrics>(), app.Services.GetRequiredService<Signer>(), checkpointEvery);

    private List<AuditEvent> Events(Guid tenant, int count, Action<AuditEventDto, int>? change = null)
    {
        var validator = app.Services.GetRequiredService<AuditEventValidator>();
        return Enumerable.Range(0, count).Select(i =>
        {
            var dto = AuditServiceFixture.NewEvent(tenant);
            change?.Invoke(dto, i);
            var errors = new Dictionary<string, string[]>();
            return validator.Validate(dto, null, errors) ?? throw new InvalidOperationException(string.Join("; ", errors.Keys));
        }).ToList();
    }
}
