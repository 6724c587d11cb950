using System.Buffers;
using System.Text.Unicode;

namespace AuditService.Ingestion;

/// <summary>
/// A group's text and jsonb columns as UTF-8, encoded into one buffer that the writer lane reuses. Npgsql writes bytes
/// given for text as they are; for a string it first counts its UTF-8 length, then transcodes it, which was the largest
/// part of the writer's own CPU in the ingest profile (docs/benchmarks.md). The bytes are what Npgsql would have sent.
/// </summary>
public sealed class Utf8Columns
{
    private const int KeptBytes = 1024 * 1024;

    private byte[] _buffer = new byte[64 * 1024];
    private int _used;

    /// <summary>Starts a new group; what the last group's columns point at may be overwritten from here on.</summary>
    public void Reset()
    {
        _used = 0;
        if (_buffer.Length > KeptBytes)
        {
            _buffer = new byte[KeptBytes];
        }
    }

    public ReadOnlyMemory<byte>?[] Column<T>(IReadOnlyList<T> rows, Func<T, string?> field)
    {
        var column = new ReadOnlyMemory<byte>?[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            if (field(rows[i]) is { } text)
            {
                column[i] = Encode(text);
            }
        }

        return column;
    }

    private ReadOnlyMemory<byte> Encode(string text)
    {
        var most = text.Length * 3; // UTF-8 takes at most three bytes for each UTF-16 unit
        if (_buffer.Length - _used < most)
        {
            // Slices already handed out keep the old buffer alive until the group is written.
            _buffer = new byte[Math.Max(_buffer.Length * 2, most)];
            _used = 0;
        }

        // Npgsql's own text encoding refuses invalid UTF-16 too; strings read by System.Text.Json never hold any.
        if (Utf8.FromUtf16(text, _buffer.AsSpan(_used), out _, out var length, replaceInvalidSequences: false) != OperationStatus.Done)
        {
            throw new ArgumentException("A text column holds invalid UTF-16.", nameof(text));
        }

        var bytes = new ReadOnlyMemory<byte>(_buffer, _used, length);
        _used += length;
        return bytes;
    }
}
