using Audit.Client;
using Xunit;

namespace AuditResilience.Tests;

/// <summary>The client's in-memory queue: nothing lost, doubled or reordered per writer, and a sleeping reader wakes.</summary>
public sealed class MpscRingTests
{
    [Fact]
    public async Task ManyWritersOneReaderReceivesEveryItemOnceInEachWritersOrder()
    {
        const int Writers = 4;
        const int PerWriter = 200_000;
        var ring = new MpscRing<(int Writer, int Index)>(1024);
        var received = new List<(int, int)>(Writers * PerWriter);
        var ct = Ct;

        var reader = Task.Run(async () =>
        {
            while (received.Count < Writers * PerWriter && await ring.WaitToReadAsync(ct))
            {
                while (ring.TryRead(out var item))
                {
                    received.Add(item);
                }
            }
        }, ct);
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < PerWriter; i++)
            {
                while (!ring.TryWrite((w, i)))
                {
                    Thread.Yield(); // full: the reader is behind
                }
            }
        }, ct)).ToArray();

        await Task.WhenAll(writers);
        await reader.WaitAsync(TimeSpan.FromSeconds(60), ct);

        Assert.Equal(Writers * PerWriter, received.Count);
        foreach (var group in received.GroupBy(r => r.Item1))
        {
            Assert.Equal(Enumerable.Range(0, PerWriter), group.Select(r => r.Item2));
        }
    }

    [Fact]
    public void AFullRingRefusesAWriteUntilTheReaderTakesOne()
    {
        var ring = new MpscRing<int>(4);
        Assert.All(Enumerable.Range(0, 4), i => Assert.True(ring.TryWrite(i)));

        Assert.False(ring.TryWrite(4));
        Assert.True(ring.TryRead(out var first));
        Assert.True(ring.TryWrite(4));

        Assert.Equal(0, first);
        var rest = new List<int>();
        while (ring.TryRead(out var item))
        {
            rest.Add(item);
        }

        Assert.Equal([1, 2, 3, 4], rest);
    }

    [Fact]
    public async Task ASleepingReaderWakesForOneWriteAndAWaitCanBeCancelled()
    {
        var ring = new MpscRing<int>(8);
        var ct = Ct;
        var waiting = ring.WaitToReadAsync(ct).AsTask();
        await Task.Delay(50, ct);
        Assert.False(waiting.IsCompleted);

        ring.TryWrite(7);

        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(5), ct));
        Assert.True(ring.TryRead(out var item));
        Assert.Equal(7, item);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ring.WaitToReadAsync(cancel.Token).AsTask());
    }
}
