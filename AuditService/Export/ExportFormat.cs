using System.IO.Pipelines;
using AuditService.Queries;

namespace AuditService.Export;

/// <summary>
/// One line per entry: CSV (RFC 4180, flat columns, JSON states as text) or NDJSON (the read API's shape). Both carry every
/// field the entry's detail shows, the error stack and the entry's chain hashes included (docs/audit-export.md).
/// </summary>
public abstract class ExportFormat
{
    public static readonly ExportFormat Csv = new CsvFormat();
    public static readonly ExportFormat Ndjson = new NdjsonFormat();

    public abstract string ContentType { get; }
    public abstract string Extension { get; }
    public virtual string? Header => null;

    /// <summary>A writer of this format's lines into the response body, for one export.</summary>
    public abstract ExportRowWriter Open(PipeWriter body, TraceLinkBuilder links);

    private sealed class NdjsonFormat : ExportFormat
    {
        public override string ContentType => "application/x-ndjson";
        public override string Extension => "ndjson";
        public override ExportRowWriter Open(PipeWriter body, TraceLinkBuilder links) => new NdjsonRowWriter(body, links);
    }

    private sealed class CsvFormat : ExportFormat
    {
        public override string ContentType => "text/csv; charset=utf-8";
        public override string Extension => "csv";
        public override string Header =>
            "id,tenant_id,seq,occurred_at,recorded_at,actor_type,actor_id,actor_name,actor_email,action,category,severity," +
            "resource_type,resource_id,resource_name,description,before,after,metadata,error_message,error_stack,ip_address,user_agent," +
            "trace_id,span_id,source_service,trace_link,logs_link,hash,prev_hash\r\n";

        public override ExportRowWriter Open(PipeWriter body, TraceLinkBuilder links) => new CsvRowWriter(body, links);
    }
}
