using System.Diagnostics.Metrics;
using Audit.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AuditResilience.Tests;

public sealed class SpillCapTests
{
    [Fact]
    public async Task WithAuditServiceAwayEventsGoToDiskAndOnlyTheDiskCapDropsThem()
    {
        var spill = Directory.CreateTempSubdirectory("audit-cap-");
        var counts = new Dictionary<string, long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == AuditClientMetrics.MeterName && instrument is Counter<long>)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            lock (counts)
            {
                counts[instrument.Name] = counts.GetValueOrDefault(instrument.Name) + value;
            }
        });
        listener.Start();

        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["AuditClient:Endpoint"] = $"http://127.0.0.1:{PostgresServer.FreePort()}"; // nothing listens
        builder.Configuration["AuditClient:ApiKey"] = "unused";
        builder.Configuration["AuditClient:SpillDirectory"] = spill.FullName;
        builder.Configuration["AuditClient:MaxSpillBytes"] = "20000";
        builder.Configuration["AuditClient:MaxBatchSize"] = "10";
        builder.AddAuditClient();
        using var host = builder.Build();
        await host.StartAsync(Ct);
        var audit = host.Services.GetRequiredService<IAuditLog>();

        for (var i = 0; i < 20; i++)
        {
            audit.Record(new AuditRecord { Action = "cap.test", TenantId = Guid.CreateVersion7(), Metadata = new { i } });
        }

        await WaitForAsync(() => Count(counts, "audit.client.events.spilled") == 20);
        Assert.Equal(0, Count(counts, "audit.client.events.dropped")); // under the cap nothing is lost

        for (var i = 0; i < 200; i++)
        {
            audit.Record(new AuditRecord { Action = "cap.test", TenantId = Guid.CreateVersion7(), Metadata = new { i } });
        }

        await WaitForAsync(() => Count(counts, "audit.client.events.spilled") + Count(counts, "audit.client.events.dropped") == 220);
        await host.StopAsync(Ct);

        Assert.True(Count(counts, "audit.client.events.dropped") > 0, "the cap was never reached");
        Assert.Equal(220, Count(counts, "audit.client.events.queued"));
        Assert.InRange(spill.EnumerateFiles("*.json").Sum(f => f.Length), 1, 20000);
        spill.Delete(recursive: true);
    }

    private static long Count(Dictionary<string, long> counts, string name)
    {
        lock (counts)
        {
            return counts.GetValueOrDefault(name);
        }
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.True(condition(), "timed out");
    }
}
