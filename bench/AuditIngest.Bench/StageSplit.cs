using System.Diagnostics;
using Audit.Contracts;
using AuditService.Chain;
using AuditService.Data;
using AuditService.Ingestion;
using AuditService.Integrity;
using Npgsql;

namespace AuditIngest.Bench;

/// <summary>
/// AuditService's own ingest stages run in this process on the bench's bodies, one after the other, each timed by
/// this process's CPU (user + system, every thread: GC included): parsing the body, validating the events, hashing
/// them into a chain, and writing groups through the service's own group-commit store (its side only; PostgreSQL's
/// CPU is not counted). What the service spends beyond their sum is HTTP, scheduling and the writer's queueing.
/// </summary>
public static class StageSplit
{
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

        // Once untimed so that tiered JIT has compiled every stage at its final tier, then timed.
        await PassAsync(requests);
        var (parse, validate, hash, write) = await PassAsync(requests);
        store.Reset();
        var events = (double)requests * batchSize / 1e6;
        return new Split(parse.TotalSeconds / events, validate.TotalSeconds / events, hash.TotalSeconds / events, write.TotalSeconds / events);

        async Task<(TimeSpan, TimeSpan, TimeSpan, TimeSpan)> PassAsync(int count)
        {
            var parsed = new List<IReadOnlyList<AuditEventDto?>>(count);
            var cpu = Cpu();
            for (var i = 0; i < count; i++)
            {
                parsed.Add(IngestRequestParser.Parse(bodies.Next(), options).Events ?? throw new InvalidOperationException("A bench body did not parse."));
            }

            var parseCpu = Cpu() - cpu;
            var valid = new List<List<AuditEvent>>(count);
            cpu = Cpu();
            foreach (var dtos in parsed)
            {
                var errors = new Dictionary<string, string[]>();
                valid.Add(dtos.Select((dto, i) => validator.Validate(dto!, $"[{i}]", errors)!).ToList());
            }

            var validateCpu = Cpu() - cpu;
            var prev = EventHasher.GenesisHash;
            var seq = 0L;
            cpu = Cpu();
            foreach (var request in valid)
            {
                foreach (var e in request)
                {
                    prev = EventHasher.Hash(e, e.TenantId, ++seq, e.OccurredAt, prev);
                }
            }

            var hashCpu = Cpu() - cpu;
            cpu = Cpu();
            for (var i = 0; i < valid.Count; i += 4)
            {
                await store.CommitAsync(valid.Skip(i).Take(4).Select(events => new WriteRequest(events)).ToList(), CancellationToken.None);
            }

            return (parseCpu, validateCpu, hashCpu, Cpu() - cpu);
        }
    }

    private static TimeSpan Cpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }
}
