using System.Buffers.Binary;
using Microsoft.AspNetCore.WebUtilities;

namespace AuditService.Queries;

/// <summary>The last entry of a page, (occurred_at, seq, tenant), as an opaque URL-safe token.</summary>
public sealed record PageCursor(DateTimeOffset OccurredAt, long Seq, Guid Tenant)
{
    private const int Length = 8 + 8 + 16;

    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Length];
        BinaryPrimitives.WriteInt64BigEndian(bytes, OccurredAt.UtcTicks);
        BinaryPrimitives.WriteInt64BigEndian(bytes[8..], Seq);
        Tenant.TryWriteBytes(bytes[16..], bigEndian: true, out _);
        return WebEncoders.Base64UrlEncode(bytes);
    }

    public static bool TryParse(string text, out PageCursor? cursor)
    {
        cursor = null;
        byte[] bytes;
        try
        {
            bytes = WebEncoders.Base64UrlDecode(text);
        }
        catch (FormatException)
        {
            return false;
        }

        if (bytes.Length != Length)
        {
            return false;
        }

        var ticks = BinaryPrimitives.ReadInt64BigEndian(bytes);
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return false;
        }

        cursor = new PageCursor(new DateTimeOffset(ticks, TimeSpan.Zero), BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(8)),
            new Guid(bytes.AsSpan(16), bigEndian: true));
        return true;
    }
}
