using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AuditIngest.Bench;

/// <summary>
/// One client's request bodies: a batch of <see cref="BenchEvents"/> serialised once, then for each request only
/// what must change is rewritten in place (every id, and occurred-at to now). The load generator shares the 2 cores
/// with AuditService and PostgreSQL; this way it spends them on sending, not on serialising the same JSON again.
/// </summary>
public sealed class BatchBodies
{
    // Seven fractional digits, the last not zero: System.Text.Json writes it at the full width of the "O" format.
    private static readonly DateTimeOffset TemplateTime = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(1234567);

    private readonly byte[] _body;
    private readonly int[] _ids;
    private readonly int[] _times;

    public BatchBodies(Guid tenant, int batchSize)
    {
        var batch = Enumerable.Range(0, batchSize).Select(i =>
        {
            var e = BenchEvents.New(tenant, i);
            e.OccurredAt = TemplateTime;
            return e;
        }).ToList();
        _body = JsonSerializer.SerializeToUtf8Bytes(batch, AuditJsonOptions.Web);
        _ids = batch.Select(e => Offsets(_body, Encoding.UTF8.GetBytes(e.Id!.Value.ToString())).Single()).ToArray();
        _times = Offsets(_body, Encoding.UTF8.GetBytes(TemplateTime.ToString("O", CultureInfo.InvariantCulture))).ToArray();
        if (_times.Length != batchSize)
        {
            throw new InvalidOperationException($"Expected {batchSize} timestamps in the template, found {_times.Length}.");
        }
    }

    public int Length => _body.Length;

    /// <summary>The next body: new ids and the current time. Valid until the next call (one request at a time per client).</summary>
    public byte[] Next()
    {
        Span<byte> now = stackalloc byte[33];
        DateTimeOffset.UtcNow.TryFormat(now, out var written, "O", CultureInfo.InvariantCulture);
        foreach (var at in _times)
        {
            now[..written].CopyTo(_body.AsSpan(at));
        }

        foreach (var at in _ids)
        {
            Guid.CreateVersion7().TryFormat(_body.AsSpan(at, 36), out var formatted);
            System.Diagnostics.Debug.Assert(formatted == 36);
        }

        return _body;
    }

    private static IEnumerable<int> Offsets(byte[] haystack, byte[] needle)
    {
        for (var from = 0; from < haystack.Length;)
        {
            var found = haystack.AsSpan(from).IndexOf(needle);
            if (found < 0)
            {
                yield break;
            }

            yield return from + found;
            from += found + needle.Length;
        }
    }
}
