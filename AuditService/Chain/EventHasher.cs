using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using AuditService.Events;

namespace AuditService.Chain;

/// <summary>
/// SHA-256 over the canonical form of an event and the hash before it. The canonical form is a JSON
/// array of every stored field in a fixed order, so any edit to any field changes the hash.
/// </summary>
public static class EventHasher
{
    public const string FormatVersion = "audit-v1";
    public static readonly byte[] GenesisHash = new byte[32];

    public static byte[] Hash(AuditEvent e, Guid tenantId, long seq, DateTimeOffset recordedAt, byte[] prevHash)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            w.WriteStringValue(FormatVersion);
            w.WriteStringValue(tenantId);
            w.WriteNumberValue(seq);
            w.WriteStringValue(e.Id);
            w.WriteStringValue(Timestamp(e.OccurredAt));
            w.WriteStringValue(Timestamp(recordedAt));
            foreach (var field in new[]
            {
                e.ActorType, e.ActorId, e.ActorName, e.ActorEmail, e.Action, e.Category, e.Severity,
                e.ResourceType, e.ResourceId, e.ResourceName, e.Description, e.Before, e.After, e.Metadata,
                e.ErrorMessage, e.ErrorStack, e.IpAddress?.ToString(), e.UserAgent, e.TraceId, e.SpanId, e.SourceService,
            })
            {
                if (field is null)
                {
                    w.WriteNullValue();
                }
                else
                {
                    w.WriteStringValue(field);
                }
            }

            w.WriteStringValue(Convert.ToHexStringLower(prevHash));
            w.WriteEndArray();
        }

        return SHA256.HashData(buffer.WrittenSpan);
    }

    /// <summary>Microsecond precision, as PostgreSQL stores it.</summary>
    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset TruncateToMicroseconds(DateTimeOffset value) =>
        new(value.UtcTicks - value.UtcTicks % 10, TimeSpan.Zero);
}
