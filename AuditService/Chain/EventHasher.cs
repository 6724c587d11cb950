using System.Globalization;
using System.Security.Cryptography;

namespace AuditService.Chain;

/// <summary>
/// SHA-256 over the canonical form of an event and the hash before it. The canonical form is a JSON
/// array of every stored field in a fixed order, so any edit to any field changes the hash.
/// </summary>
public static class EventHasher
{
    public const string FormatVersion = "audit-v1";
    public static readonly byte[] GenesisHash = new byte[32];

    // One writer and hash per thread: hashing runs for every stored event, so it allocates only the hash itself, and
    // the reused hash spares OpenSSL a digest context per event (0.72 µs instead of 0.85 µs for 800 bytes).
    [ThreadStatic]
    private static HashFormWriter? t_writer;

    [ThreadStatic]
    private static IncrementalHash? t_sha256;

    public static byte[] Hash(AuditEvent e, Guid tenantId, long seq, DateTimeOffset recordedAt, byte[] prevHash)
    {
        var w = t_writer ??= new HashFormWriter();
        Span<char> text = stackalloc char[64];

        w.StartArray();
        w.String(FormatVersion);
        tenantId.TryFormat(text, out var written);
        w.String(text[..written]);
        w.Number(seq);
        e.Id.TryFormat(text, out written);
        w.String(text[..written]);
        WriteTimestamp(w, e.OccurredAt);
        WriteTimestamp(w, recordedAt);
        w.String(e.ActorType);
        w.String(e.ActorId);
        w.String(e.ActorName);
        w.String(e.ActorEmail);
        w.String(e.Action);
        w.String(e.Category);
        w.String(e.Severity);
        w.String(e.ResourceType);
        w.String(e.ResourceId);
        w.String(e.ResourceName);
        w.String(e.Description);
        w.String(e.Before);
        w.String(e.After);
        w.String(e.Metadata);
        w.String(e.ErrorMessage);
        w.String(e.ErrorStack);
        if (e.IpAddress is null)
        {
            w.Null();
        }
        else
        {
            w.String(e.IpAddress.TryFormat(text, out written) ? text[..written] : e.IpAddress.ToString());
        }

        w.String(e.UserAgent);
        w.String(e.TraceId);
        w.String(e.SpanId);
        w.String(e.SourceService);
        Span<char> hex = stackalloc char[prevHash.Length * 2];
        Convert.TryToHexStringLower(prevHash, hex, out _);
        w.String(hex);
        w.EndArray();

        var sha256 = t_sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha256.AppendData(w.Written);
        return sha256.GetHashAndReset();
    }

    private static void WriteTimestamp(HashFormWriter w, DateTimeOffset value)
    {
        // The round-trip format ("O") has a fast path; its seventh fractional digit is dropped, which is the same
        // truncation to microseconds as Data.Microseconds.
        Span<char> text = stackalloc char[28];
        value.UtcDateTime.TryFormat(text, out _, "O", CultureInfo.InvariantCulture);
        text[26] = 'Z';
        w.String(text[..27]);
    }
}
