using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace AuditService.Chain;

/// <summary>
/// One text for each JSON value, whatever its spelling: keys sorted ordinally, no whitespace, strings
/// escaped one way, numbers in their shortest exact decimal form. PostgreSQL's jsonb re-spells the values
/// it stores, so the chain hashes this form, which the verifier reproduces from the stored jsonb.
/// </summary>
/// <remarks>
/// Written in one pass of a <see cref="Utf8JsonReader"/>, which ingestion positions on a payload inside the request body:
/// reading each payload into a JsonDocument first, then walking it twice (to check it, then to write it), was most of
/// the cost of an event's parsing and validation (docs/benchmarks.md). The same walk checks what jsonb would refuse.
/// </remarks>
public static class CanonicalJson
{
    /// <summary>What jsonb and the service refuse in a payload; the messages name the problem, never echo it raw.</summary>
    public sealed record Limits(int MaxDepth);

    private readonly record struct Member(string Name, int Start, int Length);

    // One builder and one member list per nesting level per thread: every ingested payload is written here, so an
    // event's payload costs its final string and its keys.
    [ThreadStatic]
    private static StringBuilder? t_builder;

    [ThreadStatic]
    private static List<List<Member>>? t_members;

    public static string Write(JsonElement element) => Normalize(JsonMarshal.GetRawUtf8Value(element));

    public static string Normalize(string json) => Normalize(Encoding.UTF8.GetBytes(json));

    private static string Normalize(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read();
        return Read(ref reader, null, out _)!;
    }

    /// <summary>
    /// The canonical text of the value the reader is on, which it reads to the value's end. With <paramref name="limits"/>
    /// it also checks the value, and on the first problem (in document order) answers null and says what it is, with the
    /// reader still moved past the whole value.
    /// </summary>
    public static string? Read(ref Utf8JsonReader reader, Limits? limits, out string? problem)
    {
        var builder = t_builder ?? new StringBuilder(1024);
        t_builder = null; // re-entrancy safe: a nested call (there is none today) would get its own
        builder.Clear();
        var start = reader;
        problem = Value(ref reader, builder, 0, limits);
        string? text = null;
        if (problem is null)
        {
            text = builder.ToString();
        }
        else if (start.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            reader = start;
            reader.Skip();
        }

        if (builder.Capacity <= 64 * 1024)
        {
            t_builder = builder;
        }

        return text;
    }

    private static string? Value(ref Utf8JsonReader reader, StringBuilder builder, int depth, Limits? limits)
    {
        if (limits is { } l && depth > l.MaxDepth)
        {
            return $"is nested deeper than {l.MaxDepth} levels.";
        }

        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                return Object(ref reader, builder, depth, limits);
            case JsonTokenType.StartArray:
                builder.Append('[');
                var first = true;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (!first)
                    {
                        builder.Append(',');
                    }

                    first = false;
                    if (Value(ref reader, builder, depth + 1, limits) is { } inner)
                    {
                        return inner;
                    }
                }

                builder.Append(']');
                return null;
            case JsonTokenType.String:
                if (!reader.ValueIsEscaped && Ascii.IsValid(reader.ValueSpan))
                {
                    // ASCII with no escape in the source: the text is the raw bytes, none of which needs escaping here.
                    AppendAscii(builder.Append('"'), reader.ValueSpan).Append('"');
                    return null;
                }

                var text = reader.GetString()!;
                // NUL can only come escaped: a string without a backslash has none.
                if (limits is not null && reader.ValueIsEscaped && text.Contains('\0', StringComparison.Ordinal))
                {
                    return "has a string containing NUL (\\u0000).";
                }

                AppendString(builder, text);
                return null;
            case JsonTokenType.Number:
                var number = reader.ValueSpan;
                if (limits is not null && !InRange(number))
                {
                    return "has a number outside the supported range.";
                }

                if (IsPlainInteger(number))
                {
                    AppendAscii(builder, number);
                }
                else
                {
                    builder.Append(NormalizeNumber(Encoding.UTF8.GetString(number)));
                }

                return null;
            case JsonTokenType.True:
                builder.Append("true");
                return null;
            case JsonTokenType.False:
                builder.Append("false");
                return null;
            default:
                builder.Append("null");
                return null;
        }
    }

    /// <summary>
    /// The members' values are written in document order first, each remembered by where it stands; then the object is
    /// written again from them in key order, with the keys.
    /// </summary>
    private static string? Object(ref Utf8JsonReader reader, StringBuilder builder, int depth, Limits? limits)
    {
        var levels = t_members ??= [];
        while (levels.Count <= depth)
        {
            levels.Add([]);
        }

        var members = levels[depth];
        members.Clear();
        HashSet<string>? many = null;
        var start = builder.Length;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString()!;
            if (limits is not null && Problem(name, members, ref many) is { } problem)
            {
                return problem;
            }

            reader.Read();
            var at = builder.Length;
            if (Value(ref reader, builder, depth + 1, limits) is { } inner)
            {
                return inner;
            }

            members.Add(new Member(name, at - start, builder.Length - at));
        }

        var values = builder.ToString(start, builder.Length - start);
        builder.Length = start;
        CollectionsMarshal.AsSpan(members).Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        builder.Append('{');
        for (var i = 0; i < members.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }

            AppendString(builder, members[i].Name);
            builder.Append(':').Append(values.AsSpan(members[i].Start, members[i].Length));
        }

        builder.Append('}');
        members.Clear();
        return null;
    }

    /// <summary>A key given twice (a short list scanned in place for the usual small object, a set for a large one), or holding NUL.</summary>
    private static string? Problem(string name, List<Member> members, ref HashSet<string>? many)
    {
        var twice = false;
        if (members.Count < 16)
        {
            foreach (var member in members)
            {
                twice |= member.Name == name;
            }
        }
        else
        {
            twice = !(many ??= [.. members.Select(m => m.Name)]).Add(name);
        }

        if (twice)
        {
            return $"has the key '{LogText.Escape(name, 100)}' twice.";
        }

        return name.Contains('\0', StringComparison.Ordinal) ? "has a key containing NUL (\\u0000)." : null;
    }

    /// <summary>What jsonb's numeric holds: at most 40 characters, and an exponent within ±300.</summary>
    private static bool InRange(ReadOnlySpan<byte> raw)
    {
        var e = raw.IndexOfAny((byte)'e', (byte)'E');
        var exponentOk = e < 0 || (int.TryParse(raw[(e + 1)..], CultureInfo.InvariantCulture, out var exponent) && Math.Abs(exponent) <= 300);
        return raw.Length <= 40 && exponentOk;
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
