using System.IO.Pipelines;
using AuditService.Queries;

namespace AuditService.Export;

/// <summary>
/// One entry a line in the read API's JSON shape (<see cref="AuditEntry"/>, property for property), written from
/// the row as it is read: the stored before/after/metadata JSON goes through as text, never parsed.
/// </summary>
public sealed class NdjsonRowWriter(PipeWriter body, TraceLinkBuilder links) : ExportRowWriter
{
    private static readonly JsonEncodedText Id = JsonEncodedText.Encode("id"), TenantId = JsonEncodedText.Encode("tenantId"),
        Seq = JsonEncodedText.Encode("seq"), OccurredAt = JsonEncodedText.Encode("occurredAt"), RecordedAt = JsonEncodedText.Encode("recordedAt"),
        Actor = JsonEncodedText.Encode("actor"), Type = JsonEncodedText.Encode("type"), Name = JsonEncodedText.Encode("name"),
        Email = JsonEncodedText.Encode("email"), Action = JsonEncodedText.Encode("action"), Category = JsonEncodedText.Encode("category"),
        Severity = JsonEncodedText.Encode("severity"), Resource = JsonEncodedText.Encode("resource"), Description = JsonEncodedText.Encode("description"),
        Before = JsonEncodedText.Encode("before"), After = JsonEncodedText.Encode("after"), Metadata = JsonEncodedText.Encode("metadata"),
        Error = JsonEncodedText.Encode("error"), Message = JsonEncodedText.Encode("message"), Stack = JsonEncodedText.Encode("stack"),
        IpAddress = JsonEncodedText.Encode("ipAddress"), UserAgent = JsonEncodedText.Encode("userAgent"), TraceId = JsonEncodedText.Encode("traceId"),
        SpanId = JsonEncodedText.Encode("spanId"), SourceService = JsonEncodedText.Encode("sourceService"), Links = JsonEncodedText.Encode("links"),
        Trace = JsonEncodedText.Encode("trace"), Logs = JsonEncodedText.Encode("logs"), Viewer = JsonEncodedText.Encode("viewer"),
        Hash = JsonEncodedText.Encode("hash"), PrevHash = JsonEncodedText.Encode("prevHash");

    private static readonly (JsonEncodedText, int)[] ResourceFields =
        [(Type, AuditColumn.ResourceType), (Id, AuditColumn.ResourceId), (Name, AuditColumn.ResourceName)];
    private static readonly (JsonEncodedText, int)[] ErrorFields = [(Message, AuditColumn.ErrorMessage), (Stack, AuditColumn.ErrorStack)];

    // Several top-level values in a row: validation off (it would put commas between them); Reset after each line.
    private readonly Utf8JsonWriter _json = new(body, new JsonWriterOptions { SkipValidation = true });
    private readonly char[] _link = new char[2048];
    private char[] _state = new char[1024];

    public override void Write(NpgsqlDataReader r)
    {
        var json = _json;
        json.WriteStartObject();
        json.WriteString(Id, r.GetGuid(AuditColumn.Id));
        json.WriteString(TenantId, r.GetGuid(AuditColumn.TenantId));
        json.WriteNumber(Seq, r.GetInt64(AuditColumn.Seq));
        var occurredAt = r.GetFieldValue<DateTimeOffset>(AuditColumn.OccurredAt);
        json.WriteString(OccurredAt, occurredAt);
        json.WriteString(RecordedAt, r.GetFieldValue<DateTimeOffset>(AuditColumn.RecordedAt));
        json.WriteStartObject(Actor);
        Text(r, Type, AuditColumn.ActorType);
        Text(r, Id, AuditColumn.ActorId);
        Text(r, Name, AuditColumn.ActorName);
        Text(r, Email, AuditColumn.ActorEmail);
        json.WriteEndObject();
        Text(r, Action, AuditColumn.Action);
        Text(r, Category, AuditColumn.Category);
        Text(r, Severity, AuditColumn.Severity);
        Nested(r, Resource, ResourceFields);
        Text(r, Description, AuditColumn.Description);
        State(r, Before, AuditColumn.Before);
        State(r, After, AuditColumn.After);
        State(r, Metadata, AuditColumn.Metadata);
        Nested(r, Error, ErrorFields);
        Text(r, IpAddress, AuditColumn.IpAddress);
        Text(r, UserAgent, AuditColumn.UserAgent);
        var traceId = r.IsDBNull(AuditColumn.TraceId) ? null : r.GetString(AuditColumn.TraceId);
        json.WriteString(TraceId, traceId);
        Text(r, SpanId, AuditColumn.SpanId);
        Text(r, SourceService, AuditColumn.SourceService);
        WriteLinks(traceId, occurredAt);
        Text(r, Hash, AuditColumn.Hash);
        Text(r, PrevHash, AuditColumn.PrevHash);
        json.WriteEndObject();
        json.Flush();
        body.GetSpan(1)[0] = (byte)'\n';
        body.Advance(1);
        json.Reset(body);
    }

    private void Text(NpgsqlDataReader r, JsonEncodedText name, int column) =>
        _json.WriteString(name, r.IsDBNull(column) ? null : r.GetString(column));

    /// <summary>An object of text fields, or null when its first is null (as the read API has it).</summary>
    private void Nested(NpgsqlDataReader r, JsonEncodedText name, (JsonEncodedText Name, int Column)[] fields)
    {
        if (r.IsDBNull(fields[0].Column))
        {
            _json.WriteNull(name);
            return;
        }

        _json.WriteStartObject(name);
        foreach (var (field, column) in fields)
        {
            Text(r, field, column);
        }

        _json.WriteEndObject();
    }

    /// <summary>The stored JSON text, compacted to the read API's form (PostgreSQL writes it with spaces).</summary>
    private void State(NpgsqlDataReader r, JsonEncodedText name, int column)
    {
        if (r.IsDBNull(column))
        {
            _json.WriteNull(name);
            return;
        }

        var text = r.GetString(column);
        if (_state.Length < text.Length)
        {
            _state = new char[Math.Max(text.Length, _state.Length * 2)];
        }

        _json.WritePropertyName(name);
        _json.WriteRawValue(_state.AsSpan(0, StoredJson.Compact(text, _state)), skipInputValidation: true);
    }

    private void WriteLinks(string? traceId, DateTimeOffset occurredAt)
    {
        if (!links.HasLinks(traceId))
        {
            _json.WriteNull(Links);
            return;
        }

        _json.WriteStartObject(Links);
        if (links.TryFormat(false, traceId!, occurredAt, _link, out var n))
        {
            _json.WriteString(Trace, _link.AsSpan(0, n));
            links.TryFormat(true, traceId!, occurredAt, _link, out n);
            _json.WriteString(Logs, _link.AsSpan(0, n));
        }
        else
        {
            _json.WriteString(Trace, links.Trace(traceId, occurredAt));
            _json.WriteString(Logs, links.Logs(traceId, occurredAt));
        }

        _json.WriteString(Viewer, links.Viewer);
        _json.WriteEndObject();
    }

    public override void Dispose() => _json.Dispose();
}
