using System.Text.Json;
using Audit.Client;
using Audit.Contracts;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AuditClient.Bench;

/// <summary>
/// The cost Record() adds to a request: building the event and queueing it. A background task empties the
/// queue as the sender would (a read every millisecond or so), so events die young as in a running service,
/// and the queue never spills.
/// </summary>
[MemoryDiagnoser]
public class RecordBenchmarks
{
    private static readonly AuditActor Actor = new("human", "user-1234", "Ada Lovelace", "ada@example.com");
    private static readonly Guid Tenant = Guid.CreateVersion7();
    private readonly string _spill = Path.Combine(Path.GetTempPath(), $"audit-bench-{Guid.NewGuid():N}");
    private AuditLog _log = null!;
    private AuditRecord _plain = null!;
    private AuditRecord _withState = null!;
    private readonly CancellationTokenSource _stop = new();
    private AuditQueue _queue = null!;
    private Task _drain = null!;

    [GlobalSetup]
    public void Setup()
    {
        var options = Options.Create(new AuditClientOptions { ApiKey = "bench", SourceService = "bench", SpillDirectory = _spill, MemoryQueueCapacity = 1_000_000 });
        var metrics = new AuditClientMetrics();
        _queue = new AuditQueue(options, metrics, new SpillStore(options, metrics, NullLogger<SpillStore>.Instance), NullLogger<AuditQueue>.Instance);
        _log = new AuditLog(new HttpContextAccessor(), _queue, options, TimeProvider.System, NullLogger<AuditLog>.Instance);
        _drain = Task.Run(async () =>
        {
            while (await _queue.WaitToReadAsync(_stop.Token))
            {
                while (_queue.TryRead(out _))
                {
                }

                // As the sender does: a batch is on the wire for a while before it reads again.
                await Task.Delay(1, _stop.Token);
            }
        });

        _plain = new AuditRecord
        {
            Action = "lead.updated", TenantId = Tenant, Actor = Actor, ResourceType = "lead", ResourceId = "42", ResourceName = "Big deal",
            Description = "Lead moved to qualified",
        };
        _withState = _plain with
        {
            Before = new { stage = "new", value = 1000.0 },
            After = new { stage = "qualified", value = 1250.50, tags = new[] { "inbound", "q3" } },
        };
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stop.Cancel();
        try
        {
            _drain.Wait();
        }
        catch (AggregateException)
        {
            // Cancelled, as asked.
        }

        Directory.Delete(_spill, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public Guid Record() => _log.Record(_plain);

    /// <summary>Before/After are kept by reference and serialised later, on the sender's thread.</summary>
    [Benchmark]
    public Guid RecordWithState() => _log.Record(_withState);

    /// <summary>
    /// The event alone: the objects Record() fills in, built and nothing else. Record's allocation beyond this
    /// is what queueing and filling cost.
    /// </summary>
    [Benchmark]
    public AuditEventDto EventOnly() => new()
    {
        Id = Guid.CreateVersion7(),
        TenantId = _plain.TenantId,
        OccurredAt = DateTimeOffset.UtcNow,
        Actor = new ActorDto { Type = Actor.Type, Id = Actor.Id, Name = Actor.Name, Email = Actor.Email },
        Action = _plain.Action,
        Category = _plain.Category,
        Severity = _plain.Severity,
        Resource = new ResourceDto { Type = _plain.ResourceType, Id = _plain.ResourceId, Name = _plain.ResourceName },
        Description = _plain.Description,
        SourceService = "bench",
    };

    /// <summary>What serialising Before/After inside Record() would add (the design not taken).</summary>
    [Benchmark]
    public JsonValueKind SerialiseStateEagerly() =>
        JsonSerializer.SerializeToElement(_withState.Before).ValueKind | JsonSerializer.SerializeToElement(_withState.After).ValueKind;
}
