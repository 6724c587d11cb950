using System.Diagnostics;
using System.Text;
using AuditService.Queries;

namespace AuditService.Export;

public static class ExportApi
{
    /// <summary>Sent on once this much is written, so the body streams rather than piling up between pacing points.</summary>
    private const int FlushBytes = 64 * 1024;

    [EndpointName("ExportAuditEvents"), EndpointSummary("The filtered set (the list's filters, without paging) as CSV or NDJSON, streamed at a bounded rate.")]
    public static async Task<Results<EmptyHttpResult, ValidationProblem, ProblemHttpResult>> ExportAsync(
        HttpContext http, string? format, [AsParameters] AuditQueryParameters parameters, [AsParameters] QueryServices services,
        IOptions<ExportOptions> options, ExportSlots slots, TraceLinkBuilder links)
    {
        var errors = new Dictionary<string, string[]>();
        var writer = (format ?? "ndjson").ToLowerInvariant() switch
        {
            "csv" => ExportFormat.Csv,
            "ndjson" => ExportFormat.Ndjson,
            _ => null,
        };
        if (writer is null)
        {
            errors["format"] = ["must be 'csv' or 'ndjson'."];
        }

        foreach (var unused in new[] { ("cursor", parameters.Cursor), ("limit", parameters.Limit?.ToString(System.Globalization.CultureInfo.InvariantCulture)) })
        {
            if (unused.Item2 is not null)
            {
                errors[unused.Item1] = ["does not apply to an export, which holds the whole filtered set."];
            }
        }

        if (parameters.Validate(errors) is not { } query || writer is null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (!slots.TryTake())
        {
            http.Response.Headers.RetryAfter = "5";
            return TypedResults.Problem(statusCode: 429, title: "Too many exports", detail: "Other exports are running; retry shortly.");
        }

        try
        {
            var reader = ReaderScope.From(http)!;

            // Audited before the first row leaves when the tenants are known, so an aborted export is on record too.
            var narrowed = reader.Narrow(query.Tenant);
            var named = narrowed.AllTenants ? null : narrowed.Tenants;
            if (named is not null)
            {
                await services.Auditor.RecordAsync(http, reader, named, "export", new { format = writer.Extension }, always: true);
            }

            var tenants = new HashSet<Guid>();
            http.Response.ContentType = writer.ContentType;
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"audit-events.{writer.Extension}\"";
            var body = http.Response.BodyWriter;
            if (writer.Header is { } header)
            {
                Encoding.UTF8.GetBytes(header, body);
            }

            var pace = new Pacer(options.Value.MaxRowsPerSecond);
            using (var lines = writer.Open(body, links))
            {
                await foreach (var row in services.Reader.StreamRowsAsync(reader, query, http.RequestAborted))
                {
                    if (named is null)
                    {
                        tenants.Add(row.GetGuid(AuditColumn.TenantId));
                    }

                    lines.Write(row);
                    if (pace.Count() || body.CanGetUnflushedBytes && body.UnflushedBytes >= FlushBytes)
                    {
                        await body.FlushAsync(http.RequestAborted);
                        await pace.WaitAsync(http.RequestAborted);
                    }
                }
            }

            await body.FlushAsync(http.RequestAborted);
            if (named is null)
            {
                await services.Auditor.RecordAsync(http, reader, tenants, "export", new { format = writer.Extension }, always: true);
            }
            return TypedResults.Empty;
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>Flushes every thousand rows and sleeps when ahead of the allowed rate.</summary>
    private sealed class Pacer(int rowsPerSecond)
    {
        private const int Chunk = 1000;
        private readonly long _started = Stopwatch.GetTimestamp();
        private long _rows;

        public bool Count() => ++_rows % Chunk == 0;

        public Task WaitAsync(CancellationToken ct)
        {
            var due = TimeSpan.FromSeconds((double)_rows / rowsPerSecond);
            var ahead = due - Stopwatch.GetElapsedTime(_started);
            return ahead > TimeSpan.FromMilliseconds(1) ? Task.Delay(ahead, ct) : Task.CompletedTask;
        }
    }
}
