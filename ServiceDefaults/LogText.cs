using System.Buffers;
using System.Globalization;
using System.Text;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Makes a value that came from outside (a request body, a header, a provider's error) safe to put in a log line:
/// CR, LF, tabs and every other control or line-breaking character are written as escapes, so the value can never
/// start a forged line of its own; a very long value is cut. Every [LoggerMessage] argument that a user or another
/// system supplied goes through <see cref="Escape"/>.
/// </summary>
public static class LogText
{
    public const int DefaultMaxLength = 512;

    public static string? Escape(string? value, int maxLength = DefaultMaxLength)
    {
        if (value is null)
        {
            return null;
        }

        var cut = value.Length > maxLength;
        var span = cut ? value.AsSpan(0, maxLength) : value.AsSpan();
        if (span.IndexOfAny(Unsafe) < 0)
        {
            return cut ? string.Concat(span, "…") : value;
        }

        var escaped = new StringBuilder(span.Length + 16);
        foreach (var c in span)
        {
            _ = c switch
            {
                '\r' => escaped.Append("\\r"),
                '\n' => escaped.Append("\\n"),
                '\t' => escaped.Append("\\t"),
                _ when Unsafe.Contains(c) => escaped.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
                _ => escaped.Append(c),
            };
        }

        return cut ? escaped.Append('…').ToString() : escaped.ToString();
    }

    // Control characters (C0, DEL, C1 with NEL) and the Unicode line and paragraph separators, which some viewers
    // break lines on; everything else is printed as it is.
    private static readonly SearchValues<char> Unsafe = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Concat(Enumerable.Range(0x7F, 0x21)).Select(i => (char)i), '\u2028', '\u2029']);
}
