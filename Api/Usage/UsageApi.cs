namespace Api.Usage;

public static class UsageApi
{
    private static readonly string[] Granularities = ["day", "week", "month"];

    public static IEndpointRouteBuilder MapUsageApi(this IEndpointRouteBuilder app)
    {
        var usage = app.MapGroup("/api/usage").WithTags("Usage").RequireAuthorization();
        usage.MapGet("/", GetUsageAsync).WithName("GetLlmUsage")
            .WithSummary("LLM usage and cost per day, week or month, split by tenant, provider and model.");
        usage.MapGet("/caps", GetCapsAsync).WithName("GetSpendCaps")
            .WithSummary("Tenants' spend this month against their plan's budget; by default those at 80% or more.");
        usage.MapGet("/providers", GetProvidersAsync).WithName("GetProviderStats")
            .WithSummary("Cost, latency (average and p95) and error rate per provider and model over the last N days.");
        usage.MapGet("/breakdown", GetBreakdownAsync).WithName("GetCostBreakdown")
            .WithSummary("Cost and calls per agent role and per route (the kind of activity, or direct calls) over the last N days.");
        usage.MapSpendCapOverrideApi();
        return app;
    }

    public static async Task<Results<Ok<UsageReport>, ValidationProblem, ForbidHttpResult>> GetUsageAsync(
        Caller caller, AppDb appDb, UsageQueries queries, TimeProvider clock, string? granularity, DateOnly? from, DateOnly? to, Guid? tenantId, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var unit = granularity ?? "day";
        FieldRules.OneOf(unit, "granularity", Granularities, errors);

        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var end = to ?? today;
        var start = PeriodStart(unit, from ?? end.AddDays(-30));
        if (start > end)
        {
            errors["from"] = ["must not be after 'to'."];
        }
        else if (end.DayNumber - start.DayNumber > 3660)
        {
            errors["from"] = ["the range may span at most ten years."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (caller.Scope.Narrow(tenantId) is not { } scope)
        {
            return TypedResults.Forbid();
        }

        await using var db = await appDb.OpenAsync(scope, ct);
        var rows = await queries.UsageAsync(db, unit, start, end, ct);
        return TypedResults.Ok(new UsageReport(unit, start, end, rows.Sum(r => r.CostUsd), rows));
    }

    /// <summary>
    /// The first day of the week (Monday, as PostgreSQL's date_trunc counts) or month that holds <paramref name="day"/>: a
    /// report starts on a whole period, so its first row is not the tail of one shown as if it were all of it.
    /// </summary>
    public static DateOnly PeriodStart(string granularity, DateOnly day) => granularity switch
    {
        "month" => new DateOnly(day.Year, day.Month, 1),
        "week" => day.AddDays(-(((int)day.DayOfWeek + 6) % 7)),
        _ => day,
    };

    public static async Task<Results<Ok<IReadOnlyList<TenantCapView>>, ValidationProblem>> GetCapsAsync(
        Caller caller, AppDb appDb, UsageQueries queries, double? minUtilization, CancellationToken ct)
    {
        var min = minUtilization ?? 0.8;
        if (min is < 0 or > 10 || double.IsNaN(min))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["minUtilization"] = ["must be between 0 and 10."] });
        }

        await using var db = await appDb.OpenAsync(caller.Scope, ct);
        return TypedResults.Ok(await queries.CapsAsync(db, min, ct));
    }

    public static async Task<Results<Ok<IReadOnlyList<ProviderStats>>, ValidationProblem>> GetProvidersAsync(
        Caller caller, AppDb appDb, ProviderStatsQuery query, TimeProvider clock, int? days, CancellationToken ct)
    {
        if (CallWindow(days) is not { } window)
        {
            return WindowProblem();
        }

        await using var db = await appDb.OpenAsync(caller.Scope, ct);
        return TypedResults.Ok(await query.GetAsync(db, clock.GetUtcNow().AddDays(-window), ct));
    }

    public static async Task<Results<Ok<CostBreakdown>, ValidationProblem, ForbidHttpResult>> GetBreakdownAsync(
        Caller caller, AppDb appDb, CostBreakdownQuery query, TimeProvider clock, int? days, Guid? tenantId, CancellationToken ct)
    {
        if (CallWindow(days) is not { } window)
        {
            return WindowProblem();
        }

        if (caller.Scope.Narrow(tenantId) is not { } scope)
        {
            return TypedResults.Forbid();
        }

        await using var db = await appDb.OpenAsync(scope, ct);
        return TypedResults.Ok(await query.GetAsync(db, window, clock.GetUtcNow().AddDays(-window), ct));
    }

    // Call records are kept 180 days; older windows would silently undercount.
    private static int? CallWindow(int? days) => (days ?? 30) is var window and >= 1 and <= 180 ? window : null;

    private static ValidationProblem WindowProblem() =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["days"] = ["must be between 1 and 180."] });
}
