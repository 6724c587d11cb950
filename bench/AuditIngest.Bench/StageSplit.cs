using System.Diagnostics;
using Audit.Contracts;
using AuditService.Chain;
using AuditService.Data;
using AuditService.Ingestion;
using AuditService.Integrity;
using Npgsql;

namespace AuditIngest.Bench;

/// <summary>
/// AuditService's own ingest stages run in this process on the bench's bodies, four requests to a group as the service
/// gathers them, each stage timed by CPU (user + system): parsing the body, validating the events, hashing them into a
/// chain, and committing the group through the service's own group-commit store (its side only; PostgreSQL's CPU is not
/// counted). Timing CPU rather than the clock keeps the other processes of this shared machine out of the figures. What
/// the service spends beyond their sum is HTTP, scheduling and the writer's queueing.
/// </summary>
public static class StageSplit
{
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(15);

    public readonly record struct Split(double Parse, double Validate, double Hash, double Write);

    public static async Task<Split> RunAsync(string appConnectionString, int batchSize, int requests)
    {
        var options = new IngestOptions();
        var validator = new AuditEventValidator(TimeProvider.System);
        using var telemetry = new Microsoft.Extensions.Hosting.ServiceTelemetry("AuditIngest.Bench.StageSplit");
        var signer = new Signer(Microsoft.Extensions.Options.Options.Create(new IntegrityOptions { SigningKey = new string('k', 32) }));
        await using var dataSource = NpgsqlDataSource.Create(appConnectionString);
        var store = new ChainedBatchStore(new AuditDb(dataSource), TimeProvider.System, new IngestMetrics(telemetry), signer, checkpointEvery: 1000);
        var bodies = new BatchBodies(Guid.CreateVersion7(), batchSize);

        // Untimed for a while first, so that tiered JIT has compiled every stage at its final tier (its background
        // compiles count as process CPU, which times the commit), then timed.
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed < WarmUp)
        {
            await PassAsync(requests);
        }

        var (parse, validate, hash, write) = await PassAsync(requests);
        store.Reset();
        var events = (double)requests * batchSize / 1e6;
        return new Split(parse.TotalSeconds / events, validate.TotalSeconds / events, hash.TotalSeconds / events, write.TotalSeconds / events);

        // A group at a time, as the service holds them: parse, validate and hash are timed by this thread's CPU (a
        // workstation GC that they cause runs on it too), the group's commit by the process's (it hops threads).
        async Task<(TimeSpan, TimeSpan, TimeSpan, TimeSpan)> PassAsync(int count)
        {
            TimeSpan parse = default, validate = default, hash = default, write = default;
            var prev = EventHasher.GenesisHash;
            var seq = 0L;
            for (var done = 0; done < count; done += 4)
            {
                var group = new List<WriteRequest>(4);
                for (var r = 0; r < 4; r++)
                {
                    var body = bodies.Next(); // the load generator's work (new ids and times), not the service's
                    var cpu = ThreadCpu();
                    var dtos = IngestRequestParser.Parse(body, options).Events ?? throw new InvalidOperationException("A bench body did not parse.");
                    var parsed = ThreadCpu();
                    var errors = new Dictionary<string, string[]>();
                    var events = new List<AuditEvent>(dtos.Count);
                    for (var i = 0; i < dtos.Count; i++)
                    {
                        events.Add(validator.Validate(dtos[i]!, i, errors) ?? throw new InvalidOperationException("A bench event is invalid."));
                    }

                    var validated = ThreadCpu();
                    foreach (var e in events)
                    {
                        prev = EventHasher.Hash(e, e.TenantId, ++seq, e.OccurredAt, prev);
                    }

                    var hashed = ThreadCpu();
                    parse += parsed - cpu;
                    validate += validated - parsed;
                    hash += hashed - validated;
                    group.Add(new WriteRequest(events));
                }

                var before = ProcessCpu();
                await store.CommitAsync(group, CancellationToken.None);
                write += ProcessCpu() - before;
            }

            return (parse, validate, hash, write);
        }
    }

    private static TimeSpan ProcessCpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    private static TimeSpan ThreadCpu() => clock_gettime(ClockThreadCpuTime, out var t) == 0
        ? TimeSpan.FromTicks(t.Seconds * TimeSpan.TicksPerSecond + t.Nanoseconds / 100)
        : throw new InvalidOperationException("clock_gettime failed.");

    private const int ClockThreadCpuTime = 3;

    private readonly struct TimeSpec
    {
        public readonly long Seconds;
        public readonly long Nanoseconds;
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = false)]
    private static extern int clock_gettime(int clock, out TimeSpec time);
}
