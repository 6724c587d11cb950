using System.Buffers;
using System.Buffers.Text;

namespace AuditService.Chain;

/// <summary>
/// Writes the hashed form of an event: a minimised JSON array, byte for byte as <see cref="Utf8JsonWriter"/> with its
/// default encoder writes it, because that is how every stored hash was computed. The writer's own escaping walks a
/// string character by character from the first one it must escape, and the canonical JSON payloads are full of quotes
/// (profiled at a quarter of the hashing stage), so strings of printable ASCII are escaped here through a table that
/// the writer itself fills at start-up; any other string still goes through the writer.
/// </summary>
internal sealed class HashFormWriter
{
    // What the writer makes of each printable ASCII character: null where it writes the character as it is.
    private static readonly byte[]?[] Escapes = BuildEscapes();
    private static readonly SearchValues<char> Escaped = SearchValues.Create(
        Enumerable.Range(' ', '~' - ' ' + 1).Where(c => Escapes[c] is not null).Select(c => (char)c).ToArray());

    private readonly ArrayBufferWriter<byte> _fallbackBuffer = new(256);
    private readonly Utf8JsonWriter _fallback;
    private byte[] _buffer = new byte[2048];
    private int _length;
    private bool _first;

    public HashFormWriter() => _fallback = new Utf8JsonWriter(_fallbackBuffer);

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    public void StartArray()
    {
        _length = 0;
        Raw((byte)'[');
        _first = true;
    }

    public void EndArray() => Raw((byte)']');

    public void Null()
    {
        Separate();
        Append("null"u8);
    }

    public void Number(long value)
    {
        Separate();
        Ensure(20);
        Utf8Formatter.TryFormat(value, _buffer.AsSpan(_length), out var written);
        _length += written;
    }

    public void String(string? value)
    {
        if (value is null)
        {
            Null();
            return;
        }

        String(value.AsSpan());
    }

    public void String(ReadOnlySpan<char> value)
    {
        Separate();
        if (value.ContainsAnyExceptInRange(' ', '~'))
        {
            // Controls and non-ASCII: the writer's own escaping, for this value alone.
            _fallbackBuffer.ResetWrittenCount();
            _fallback.Reset(_fallbackBuffer);
            _fallback.WriteStringValue(value);
            _fallback.Flush();
            Append(_fallbackBuffer.WrittenSpan);
            return;
        }

        Raw((byte)'"');
        while (true)
        {
            var next = value.IndexOfAny(Escaped);
            var run = next < 0 ? value : value[..next];
            Ensure(run.Length);
            System.Text.Ascii.FromUtf16(run, _buffer.AsSpan(_length), out var written);
            _length += written;
            if (next < 0)
            {
                break;
            }

            Append(Escapes[value[next]]);
            value = value[(next + 1)..];
        }

        Raw((byte)'"');
    }

    private void Separate()
    {
        if (!_first)
        {
            Raw((byte)',');
        }

        _first = false;
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    private void Raw(byte b)
    {
        Ensure(1);
        _buffer[_length++] = b;
    }

    private void Ensure(int more)
    {
        if (_length + more > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + more));
        }
    }

    private static byte[]?[] BuildEscapes()
    {
        var escapes = new byte[]?[128];
        var buffer = new ArrayBufferWriter<byte>(16);
        using var writer = new Utf8JsonWriter(buffer);
        for (var c = ' '; c <= '~'; c++)
        {
            buffer.ResetWrittenCount();
            writer.Reset(buffer);
            writer.WriteStringValue(new string(c, 1));
            writer.Flush();
            var inner = buffer.WrittenSpan[1..^1];
            escapes[c] = inner.Length == 1 && inner[0] == c ? null : inner.ToArray();
        }

        return escapes;
    }
}
