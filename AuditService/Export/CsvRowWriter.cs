using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using AuditService.Queries;

namespace AuditService.Export;

/// <summary>
/// One entry a CSV line (RFC 4180), built in a reused buffer from the row as it is read: JSON states as their
/// stored text, fields quoted where needed, and a leading =, +, - or @ defused so a spreadsheet shows it as text.
/// </summary>
public sealed class CsvRowWriter(PipeWriter body, TraceLinkBuilder links) : ExportRowWriter
{
    private static readonly SearchValues<char> NeedsQuotes = SearchValues.Create(",\"\r\n");
    private readonly char[] _link = new char[2048];
    private char[] _line = new char[4096];
    private int _length;

    public override void Write(NpgsqlDataReader r)
    {
        _length = 0;
        Span<char> scratch = stackalloc char[40];
        Field(Format(r.GetGuid(AuditColumn.Id), scratch), first: true);
        Field(Format(r.GetGuid(AuditColumn.TenantId), scratch));
        r.GetInt64(AuditColumn.Seq).TryFormat(scratch, out var n, provider: CultureInfo.InvariantCulture);
        Field(scratch[..n]);
        var occurredAt = r.GetFieldValue<DateTimeOffset>(AuditColumn.OccurredAt);
        Field(Format(occurredAt, scratch));
        Field(Format(r.GetFieldValue<DateTimeOffset>(AuditColumn.RecordedAt), scratch));
        var resource = !r.IsDBNull(AuditColumn.ResourceType);
        for (var column = AuditColumn.ActorType; column <= AuditColumn.ErrorStack; column++)
        {
            // Like the read API: no resource type, no resource.
            if (!resource && column is AuditColumn.ResourceId or AuditColumn.ResourceName)
            {
                Field(null);
                continue;
            }

            Text(r, column);
        }

        Text(r, AuditColumn.IpAddress);
        Text(r, AuditColumn.UserAgent);
        var traceId = r.IsDBNull(AuditColumn.TraceId) ? null : r.GetString(AuditColumn.TraceId);
        Field(traceId);
        Text(r, AuditColumn.SpanId);
        Text(r, AuditColumn.SourceService);
        if (!links.HasLinks(traceId))
        {
            Field(null);
            Field(null);
        }
        else if (links.TryFormat(false, traceId!, occurredAt, _link, out n))
        {
            Field(_link.AsSpan(0, n));
            links.TryFormat(true, traceId!, occurredAt, _link, out n);
            Field(_link.AsSpan(0, n));
        }
        else
        {
            Field(links.Trace(traceId, occurredAt));
            Field(links.Logs(traceId, occurredAt));
        }

        Text(r, AuditColumn.Hash);
        Text(r, AuditColumn.PrevHash);

        Append("\r\n");
        Encoding.UTF8.GetBytes(_line.AsSpan(0, _length), body);
    }

    private static ReadOnlySpan<char> Format(Guid value, Span<char> scratch) =>
        value.TryFormat(scratch, out var n) ? scratch[..n] : value.ToString();

    private static ReadOnlySpan<char> Format(DateTimeOffset value, Span<char> scratch) =>
        value.UtcDateTime.TryFormat(scratch, out var n, "O", CultureInfo.InvariantCulture) ? scratch[..n] : value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private void Text(NpgsqlDataReader r, int column) => Field(r.IsDBNull(column) ? null : r.GetString(column));

    private void Field(string? value)
    {
        if (value is null)
        {
            Append(",");
        }
        else
        {
            Field(value.AsSpan());
        }
    }

    private void Field(ReadOnlySpan<char> value, bool first = false)
    {
        if (!first)
        {
            Append(",");
        }

        var formula = value.Length > 0 && value[0] is '=' or '+' or '-' or '@';
        if (!formula && !value.ContainsAny(NeedsQuotes))
        {
            Append(value);
            return;
        }

        Append(formula ? "\"'" : "\"");
        for (var quote = value.IndexOf('"'); quote >= 0; quote = value.IndexOf('"'))
        {
            Append(value[..(quote + 1)]);
            Append("\"");
            value = value[(quote + 1)..];
        }

        Append(value);
        Append("\"");
    }

    private void Append(ReadOnlySpan<char> text)
    {
        if (_length + text.Length > _line.Length)
        {
            Array.Resize(ref _line, Math.Max(_line.Length * 2, _length + text.Length));
        }

        text.CopyTo(_line.AsSpan(_length));
        _length += text.Length;
    }
}
