using System.Diagnostics;

namespace Api.SystemHealth;

public static class SystemHealthApi
{
    /// <summary>Above these the system is degraded.</summary>
    public const double SlowQueryMilliseconds = 500, HighErrorRate = 0.05;

    public static IEndpointRouteBuilder MapSystemHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/system/health", GetAsync).WithTags("System").WithName("SystemHealth")
            .WithSummary("healthy, degraded or unhealthy, with database, error rate and recent activity (super admins, support).")
            .RequireAuthorization(p => p.RequireRole(Roles.SuperAdmin, Roles.Support));
        return app;
    }

    public static async Task<Ok<SystemHealthReport>> GetAsync(AppDb db, RequestOutcomeCounter counter, TimeProvider clock, CancellationToken ct)
    {
        var reasons = new List<string>();
        // The hour in whole minutes, as the counts are kept: the database's (every process, across restarts) and this
        // process's not yet written. Without the database only the latter are known.
        var since = DateTimeOffset.FromUnixTimeSeconds((clock.GetUtcNow() - TimeSpan.FromHours(1)).ToUnixTimeSeconds() / 60 * 60);
        var (requests, errors) = counter.Unwritten(since);
        var watch = Stopwatch.StartNew();
        RecentActivity? activity = null;
        string? error = null;
        try
        {
            // Platform scope: the report counts sign-ins, sessions, users and tenants across the platform (counts only).
            await using var scope = await db.OpenAsync(TenantScope.Platform, ct);
            await using var command = scope.Command(
                """
                SELECT (SELECT count(*) FROM users WHERE last_sign_in_at > now() - interval '1 hour'),
                       (SELECT count(*) FROM refresh_tokens WHERE revoked_at IS NULL AND replaced_at IS NULL AND expires_at > now()),
                       (SELECT count(*) FROM tenants WHERE created_at > now() - interval '1 day'),
                       (SELECT count(*) FROM users),
                       (SELECT count(*) FROM tenants),
                       (SELECT COALESCE(sum(requests), 0)::bigint FROM request_counts WHERE minute >= @since),
                       (SELECT COALESCE(sum(errors), 0)::bigint FROM request_counts WHERE minute >= @since)
                """);
            command.Parameters.AddWithValue("since", since);
            command.CommandTimeout = 5;
            await using var r = await command.ExecuteReaderAsync(ct);
            await r.ReadAsync(ct);
            activity = new RecentActivity(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4));
            (requests, errors) = (requests + r.GetInt64(5), errors + r.GetInt64(6));
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            error = ex.Message;
            reasons.Add("database unreachable");
        }

        var queryMs = watch.Elapsed.TotalMilliseconds;
        var rate = requests == 0 ? 0 : (double)errors / requests;
        if (error is null && queryMs > SlowQueryMilliseconds)
        {
            reasons.Add($"database query took {queryMs:F0} ms");
        }

        if (rate > HighErrorRate)
        {
            reasons.Add($"{rate:P1} of requests failed in the last hour");
        }

        var status = error is not null ? "unhealthy" : reasons.Count > 0 ? "degraded" : "healthy";
        return TypedResults.Ok(new SystemHealthReport(status, clock.GetUtcNow(), new DatabaseHealth(error is null, Math.Round(queryMs, 2), error),
            requests, errors, Math.Round(rate, 4), activity, reasons));
    }
}
