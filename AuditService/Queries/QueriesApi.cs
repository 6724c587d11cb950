namespace AuditService.Queries;

public static class QueriesApi
{
    [EndpointName("ListAuditEvents"), EndpointSummary("Entries within the reader's scope, filtered, newest first, one page per cursor.")]
    public static async Task<Results<Ok<AuditEntryPage>, ValidationProblem>> ListAsync(
        HttpContext http, [AsParameters] AuditQueryParameters parameters, [AsParameters] QueryServices services)
    {
        var errors = new Dictionary<string, string[]>();
        if (parameters.Validate(errors) is not { } query)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var reader = ReaderScope.From(http)!;
        var page = await services.Reader.PageAsync(reader, query, http.RequestAborted);
        await services.Auditor.RecordAsync(http, reader, page.Items.Select(e => e.TenantId), "list", new { count = page.Items.Count });
        return TypedResults.Ok(page);
    }

    [EndpointName("GetAuditEvent"), EndpointSummary("One entry with a field-level diff of its before and after states; 404 outside the reader's scope.")]
    public static async Task<Results<Ok<AuditEntryDetail>, ProblemHttpResult>> GetAsync(
        HttpContext http, Guid id, [AsParameters] QueryServices services)
    {
        var reader = ReaderScope.From(http)!;
        if (await services.Reader.FindAsync(reader, id, http.RequestAborted) is not { } entry)
        {
            // The same answer for an entry of another tenant as for one that never existed.
            return TypedResults.Problem(statusCode: 404, title: "Not found", detail: "id: no such audit entry.");
        }

        await services.Auditor.RecordAsync(http, reader, [entry.TenantId], "entry", new { id });
        return TypedResults.Ok(new AuditEntryDetail(entry, FieldDiff.Compare(entry.Before, entry.After)));
    }

    [EndpointName("AuditEventStats"), EndpointSummary("Counts by severity, top actions and top actors over a window (the last 24 hours by default).")]
    public static async Task<Results<Ok<AuditStats>, ValidationProblem>> StatsAsync(
        HttpContext http, [AsParameters] AuditQueryParameters parameters, [AsParameters] QueryServices services)
    {
        var errors = new Dictionary<string, string[]>();
        if (parameters.Cursor is not null)
        {
            errors["cursor"] = ["does not apply to stats."];
        }

        if (parameters.Validate(errors) is not { } query)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var reader = ReaderScope.From(http)!;
        var stats = await services.Reader.StatsAsync(reader, query, services.Clock.GetUtcNow(), http.RequestAborted);
        if (reader.Narrow(query.Tenant) is { AllTenants: false } named)
        {
            await services.Auditor.RecordAsync(http, reader, named.Tenants, "stats");
        }

        return TypedResults.Ok(stats);
    }
}
