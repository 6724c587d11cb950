using System.Globalization;
using System.Text;
using System.Text.Json;
using AuditService.Queries;

namespace AuditService.Export;

/// <summary>One line per entry: CSV (RFC 4180, flat columns, JSON states as text) or NDJSON (the read API's shape).</summary>
public abstract class ExportFormat
{
    public static readonly ExportFormat Csv = new CsvFormat();
    public static readonly ExportFormat Ndjson = new NdjsonFormat();

    public abstract string ContentType { get; }
    public abstract string Extension { get; }
    public virtual string? Header => null;
    public abstract string Line(AuditEntry entry);

    private sealed class NdjsonFormat : ExportFormat
    {
        private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
        public override string ContentType => "application/x-ndjson";
        public override string Extension => "ndjson";
        public override string Line(AuditEntry entry) => JsonSerializer.Serialize(entry, Json) + "\n";
    }

    private sealed class CsvFormat : ExportFormat
    {
        public override string ContentType => "text/csv; charset=utf-8";
        public override string Extension => "csv";
        public override string Header =>
            "id,tenant_id,seq,occurred_at,recorded_at,actor_type,actor_id,actor_name,actor_email,action,category,severity," +
            "resource_type,resource_id,resource_name,description,before,after,metadata,error_message,ip_address,user_agent," +
            "trace_id,span_id,source_service,trace_link,logs_link\r\n";

        public override string Line(AuditEntry e)
        {
            var line = new StringBuilder(512);
            string?[] fields =
            [
                e.Id.ToString(), e.TenantId.ToString(), e.Seq.ToString(CultureInfo.InvariantCulture),
                e.OccurredAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture), e.RecordedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                e.Actor.Type, e.Actor.Id, e.Actor.Name, e.Actor.Email, e.Action, e.Category, e.Severity,
                e.Resource?.Type, e.Resource?.Id, e.Resource?.Name, e.Description,
                e.Before?.GetRawText(), e.After?.GetRawText(), e.Metadata?.GetRawText(), e.Error?.Message,
                e.IpAddress, e.UserAgent, e.TraceId, e.SpanId, e.SourceService, e.Links?.Trace, e.Links?.Logs,
            ];
            for (var i = 0; i < fields.Length; i++)
            {
                if (i > 0)
                {
                    line.Append(',');
                }

                Append(line, fields[i]);
            }

            return line.Append("\r\n").ToString();
        }

        private static void Append(StringBuilder line, string? value)
        {
            if (value is null)
            {
                return;
            }

            // A leading =, +, - or @ would be run as a formula by a spreadsheet: quote it as text.
            var formula = value.Length > 0 && value[0] is '=' or '+' or '-' or '@';
            if (formula || value.AsSpan().IndexOfAny(",\"\r\n") >= 0)
            {
                line.Append('"').Append(formula ? "'" : "").Append(value.Replace("\"", "\"\"")).Append('"');
            }
            else
            {
                line.Append(value);
            }
        }
    }
}
