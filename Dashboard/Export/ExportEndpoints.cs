namespace Dashboard.Export;

/// <summary>
/// Downloads of the audit log's filtered set. The browser asks the Dashboard (its cookie); the Dashboard
/// asks AuditService with the user's token, and streams the body through without holding it.
/// </summary>
public static class ExportEndpoints
{
    public static IEndpointRouteBuilder MapExportEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/export/audit.{format}", ExportAsync).RequireAuthorization();
        return app;
    }

    /// <summary>The download of the entries the filter selects, for a link on the audit log page.</summary>
    public static string Link(AuditFilter filter, string format) => $"/export/audit.{format}?{filter.ToQuery()}";

    private static async Task ExportAsync(string format, HttpContext http, AuditLogClient audit)
    {
        if (format is not ("csv" or "ndjson"))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        // The query string is the audit log page's filters, forwarded as they are.
        var query = http.Request.QueryString.HasValue ? http.Request.QueryString.Value![1..] : "";
        using var upstream = await audit.ExportAsync(format, query, http.RequestAborted);
        http.Response.StatusCode = (int)upstream.StatusCode;
        http.Response.ContentType = upstream.Content.Headers.ContentType?.ToString() ?? "application/octet-stream";
        if (upstream.IsSuccessStatusCode)
        {
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"audit-log-{DateTime.UtcNow:yyyyMMdd-HHmmss}.{format}\"";
        }

        await using var body = await upstream.Content.ReadAsStreamAsync(http.RequestAborted);
        await body.CopyToAsync(http.Response.Body, http.RequestAborted);
    }
}
