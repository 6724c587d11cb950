using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace AuditService.Chain;

/// <summary>
/// One text for each JSON value, whatever its spelling: keys sorted ordinally, no whitespace, strings
/// escaped one way, numbers in their shortest exact decimal form. PostgreSQL's jsonb re-spells the values
/// it stores, so the chain hashes this form, which the verifier reproduces from the stored jsonb.
/// </summary>
public static class CanonicalJson
{
    // Every ingested object is written here: one builder per thread, and strings and numbers copied from the raw
    // UTF-8 where they need no unescaping or normalising, so an event's payload costs its final string and its keys.
    [ThreadStatic]
    private static StringBuilder? t_builder;

    public static string Write(JsonElement element)
    {
        var builder = t_builder ?? new StringBuilder(1024);
        t_builder = null; // re-entrancy safe: a nested call (there is none today) would get its own
        builder.Clear();
        Append(builder, element);
        var text = builder.ToString();
        if (builder.Capacity <= 64 * 1024)
        {
            t_builder = builder;
        }

        return text;
    }

    public static string Normalize(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Write(document.RootElement);
    }

    private static void Append(StringBuilder builder, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                AppendObject(builder, element);
                break;
            case JsonValueKind.Array:
                builder.Append('[');
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (index++ > 0)
                    {
                        builder.Append(',');
                    }

                    Append(builder, item);
                }

                builder.Append(']');
                break;
            case JsonValueKind.String:
                var raw = JsonMarshal.GetRawUtf8Value(element)[1..^1]; // without its quotes
                if (Ascii.IsValid(raw) && !raw.Contains((byte)'\\'))
                {
                    // ASCII with no escape in the source: the text is the raw bytes, none of which needs escaping here.
                    AppendAscii(builder.Append('"'), raw).Append('"');
                }
                else
                {
                    AppendString(builder, element.GetString()!);
                }

                break;
            case JsonValueKind.Number:
                var number = JsonMarshal.GetRawUtf8Value(element);
                if (IsPlainInteger(number))
                {
                    AppendAscii(builder, number);
                }
                else
                {
                    builder.Append(NormalizeNumber(Encoding.UTF8.GetString(number)));
                }

                break;
            case JsonValueKind.True:
                builder.Append("true");
                break;
            case JsonValueKind.False:
                builder.Append("false");
                break;
            default:
                builder.Append("null");
                break;
        }
    }

    private static void AppendObject(StringBuilder builder, JsonElement element)
    {
        var count = 0;
        foreach (var _ in element.EnumerateObject())
        {
            count++;
        }

        var names = ArrayPool<string>.Shared.Rent(count);
        var values = ArrayPool<JsonElement>.Shared.Rent(count);
        try
        {
            var i = 0;
            foreach (var property in element.EnumerateObject())
            {
                names[i] = property.Name;
                values[i++] = property.Value;
            }

            Array.Sort(names, values, 0, count, StringComparer.Ordinal);
            builder.Append('{');
            for (i = 0; i < count; i++)
            {
                if (i > 0)
                {
                    builder.Append(',');
                }

                AppendString(builder, names[i]);
                builder.Append(':');
                Append(builder, values[i]);
            }

            builder.Append('}');
        }
        finally
        {
            Array.Clear(names, 0, count);
            ArrayPool<string>.Shared.Return(names);
            ArrayPool<JsonElement>.Shared.Return(values, clearArray: true);
        }
    }

    private static StringBuilder AppendAscii(StringBuilder builder, ReadOnlySpan<byte> ascii)
    {
        Span<char> chars = stackalloc char[256];
        while (ascii.Length > 0)
        {
            var take = Math.Min(ascii.Length, chars.Length);
            Ascii.ToUtf16(ascii[..take], chars, out var written);
            builder.Append(chars[..written]);
            ascii = ascii[take..];
        }

        return builder;
    }

    /// <summary>Digits with an optional minus and no leading zero (nor "-0"): already in canonical form.</summary>
    private static bool IsPlainInteger(ReadOnlySpan<byte> raw)
    {
        var digits = raw.Length > 0 && raw[0] == (byte)'-' ? raw[1..] : raw;
        return digits.Length > 0 && !digits.ContainsAnyExceptInRange((byte)'0', (byte)'9')
            && (digits[0] != (byte)'0' || (digits.Length == 1 && raw.Length == 1));
    }

    private static void AppendString(StringBuilder builder, string value)
    {
        builder.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case < ' ':
                    builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default: builder.Append(c); break;
            }
        }

        builder.Append('"');
    }

    /// <summary>"1e3", "1000.0" and "1000" all become "1000"; "-0" becomes "0". Exact for any length.</summary>
    public static string NormalizeNumber(string raw)
    {
        var negative = raw.StartsWith('-');
        var body = negative ? raw[1..] : raw;
        var exponent = 0;
        var e = body.IndexOfAny(['e', 'E']);
        if (e >= 0)
        {
            exponent = int.Parse(body[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            body = body[..e];
        }

        var dot = body.IndexOf('.', StringComparison.Ordinal);
        var digits = dot >= 0 ? body.Remove(dot, 1) : body;
        var pointPosition = (dot >= 0 ? dot : body.Length) + exponent;

        // Strip leading zeros (moving the point) and trailing zeros (they do not change the value).
        var lead = 0;
        while (lead < digits.Length - 1 && digits[lead] == '0')
        {
            lead++;
        }

        digits = digits[lead..];
        pointPosition -= lead;
        digits = digits.TrimEnd('0');
        if (digits.Length == 0)
        {
            return "0";
        }

        string text;
        if (pointPosition <= 0)
        {
            text = "0." + new string('0', -pointPosition) + digits;
        }
        else if (pointPosition >= digits.Length)
        {
            text = digits + new string('0', pointPosition - digits.Length);
        }
        else
        {
            text = digits[..pointPosition] + "." + digits[pointPosition..];
        }

        return negative ? "-" + text : text;
    }
}
