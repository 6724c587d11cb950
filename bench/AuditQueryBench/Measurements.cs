using System.Diagnostics;
using System.Globalization;
using AuditService.Auth;
using AuditService.Data;
using AuditService.Integrity;
using AuditService.Queries;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Tenancy;
using Testing;

namespace AuditQueryBench;

/// <summary>Each read through the HTTP API, then the very same SQL (built by the service's own query builder) straight on PostgreSQL.</summary>
public sealed class Measurements(BenchService service, TestDatabase database, int tenants)
{
    private static readonly ReaderScope Platform = new("api_key", "bench", "bench", null, TenantScope.Platform, null, null);
    private readonly NpgsqlDataSource _db = NpgsqlDataSource.Create(Bench.Prepared(database.App));
    private readonly Random _random = new(42);

    public async Task RunAsync()
    {
        if (Environment.GetEnvironmentVariable("BENCH_EXPLAIN") == "1")
        {
            await ExplainAsync(Query(DataSet.Tenant(7), "user.", 51, false));
            await ExplainAsync(Query(DataSet.Tenant(7), "user.", 51, false, DateTimeOffset.UtcNow.AddDays(-7)));
        }

        await CompareAsync("filtered page (tenant, action=user.*, 50 rows)", 1000,
            t => $"/api/v1/audit-events?tenant={t}&action=user.*&limit=50",
            t => Query(t, action: "user.", limit: 51, stats: false));
        await CompareAsync("stats (tenant, last 24 h)", 300,
            t => $"/api/v1/audit-events/stats?tenant={t}",
            t => Query(t, action: null, limit: 0, stats: true));
        await ExportAsync();
        await WalkAsync();
    }

    /// <summary>The daily walk of every chain (<see cref="ChainWalkJob"/>), beside the same rows only read, per tenant, as raw SQL.</summary>
    private async Task WalkAsync()
    {
        var started = Stopwatch.GetTimestamp();
        var verdicts = await service.Services.GetRequiredService<ChainWalkJob>().WalkAsync(CancellationToken.None);
        var walkSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var events = verdicts.Sum(v => v.EventsChecked);

        started = Stopwatch.GetTimestamp();
        long rows = 0;
        foreach (var verdict in verdicts)
        {
            rows += await RunSqlAsync(verdict.TenantId, [(ChainVerifier.Select, c => c.Parameters.AddWithValue("tenant", verdict.TenantId))]);
        }

        var rawSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        Console.WriteLine($"chain walk (every chain: {verdicts.Count:N0} tenants, {verdicts.Count(v => !v.Intact)} broken): {events:N0} events in {walkSeconds:N2} s = {events / walkSeconds:N0} events/s | raw SQL read of the same rows {rows:N0} in {rawSeconds:N2} s = {rows / rawSeconds:N0} rows/s");
    }

    private async Task CompareAsync(string name, int count, Func<Guid, string> url, Func<Guid, (string Sql, Action<NpgsqlCommand> Bind)[]> sql)
    {
        var http = new List<double>(count);
        var raw = new List<double>(count);
        for (var i = 0; i < count + 50; i++)
        {
            var tenant = DataSet.Tenant(_random.Next(tenants));
            var started = Stopwatch.GetTimestamp();
            using (var response = await service.Client.GetAsync(url(tenant)))
            {
                response.EnsureSuccessStatusCode();
                await response.Content.ReadAsStringAsync();
            }

            var httpMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            started = Stopwatch.GetTimestamp();
            await RunSqlAsync(tenant, sql(tenant));
            var rawMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (i >= 50)
            {
                http.Add(httpMs);
                raw.Add(rawMs);
            }
        }

        Console.WriteLine($"{name}: HTTP p50 {P(http, 50)} ms, p95 {P(http, 95)} ms, p99 {P(http, 99)} ms | raw SQL p50 {P(raw, 50)} ms, p95 {P(raw, 95)} ms, p99 {P(raw, 99)} ms ({count} requests)");
    }

    private (string, Action<NpgsqlCommand>)[] Query(Guid tenant, string? action, int limit, bool stats, DateTimeOffset? from = null)
    {
        var now = DateTimeOffset.UtcNow;
        var query = new AuditQuery(tenant, null, null, action, action is not null, null, null, null, null,
            stats ? now.AddHours(-24) : from, stats ? now : null, null, limit, null);
        Func<NpgsqlCommand, string> where = c => AuditQueryReader.Where(c.Parameters, Platform, TenantScope.Of(tenant), query);
        if (!stats)
        {
            return [(AuditQueryReader.PageSettings, _ => { }), ($"SELECT {AuditQueryReader.Columns} FROM audit_events WHERE {{0}} ORDER BY occurred_at DESC, seq DESC, tenant_id DESC LIMIT {limit}", c => c.CommandText = string.Format(CultureInfo.InvariantCulture, c.CommandText, where(c)))];
        }

        return [("", c => c.CommandText = AuditQueryReader.StatsText(where(c)))];
    }

    private async Task<long> RunSqlAsync(Guid? tenant, (string Sql, Action<NpgsqlCommand> Bind)[] statements)
    {
        await using var unit = await ScopedAsync(tenant is { } t ? TenantScope.Of(t) : TenantScope.Platform);
        long rows = 0;
        foreach (var (text, bind) in statements)
        {
            await using var command = unit.Command(text);
            bind(command);
            await using var r = await command.ExecuteReaderAsync();
            var values = new object[r.FieldCount];
            while (await r.ReadAsync())
            {
                r.GetValues(values);
                rows++;
            }
        }

        await unit.CommitAsync(CancellationToken.None);
        return rows;
    }

    /// <summary>A transaction with the scope set by a round trip of its own, so the statements timed after it are only the query's.</summary>
    private async Task<DbScope> ScopedAsync(TenantScope scope)
    {
        var unit = await new AuditDb(_db).OpenAsync(scope, CancellationToken.None);
        await unit.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, CancellationToken.None);
        await using var call = unit.Batch();
        await call.ExecuteNonQueryAsync();
        return unit;
    }

    /// <summary>The plan the first executions get (custom, pruned while planning), then the one a prepared statement settles on (generic).</summary>
    private async Task ExplainAsync((string Sql, Action<NpgsqlCommand> Bind)[] statements)
    {
        await using var unit = await ScopedAsync(TenantScope.Of(DataSet.Tenant(7)));
        foreach (var setting in statements[..^1])
        {
            await using var set = unit.Command(setting.Sql);
            Console.WriteLine($"-- {setting.Sql}");
            await set.ExecuteNonQueryAsync();
        }

        var statement = statements[^1];
        await using var command = unit.Command(statement.Sql);
        statement.Bind(command);
        var text = command.CommandText;
        Console.WriteLine($"-- custom plan: {text}");
        await PrintAsync(command, "EXPLAIN (ANALYZE, BUFFERS) " + text);

        // BENCH_EXPLAIN_SETTINGS="enable_sort=off;enable_bitmapscan=off": the custom plan again under each planner setting.
        foreach (var setting in (Environment.GetEnvironmentVariable("BENCH_EXPLAIN_SETTINGS") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            Console.WriteLine($"-- custom plan with {setting}");
            command.CommandText = $"SAVEPOINT s; SET LOCAL {setting}";
            await command.ExecuteNonQueryAsync();
            await PrintAsync(command, "EXPLAIN (ANALYZE, BUFFERS) " + text);
            command.CommandText = "ROLLBACK TO SAVEPOINT s";
            await command.ExecuteNonQueryAsync();
        }

        // PREPARE infers the parameter types from the query; EXECUTE passes the values as literals.
        var values = new List<string>();
        foreach (NpgsqlParameter p in command.Parameters)
        {
            text = System.Text.RegularExpressions.Regex.Replace(text, $@"@{p.ParameterName}\b", $"${values.Count + 1}");
            values.Add(p.Value switch
            {
                DateTimeOffset at => $"'{at:O}'",
                long n => n.ToString(CultureInfo.InvariantCulture),
                var v => $"'{v?.ToString()?.Replace("'", "''", StringComparison.Ordinal)}'",
            });
        }

        command.Parameters.Clear();
        command.CommandText = $"SET LOCAL plan_cache_mode = force_generic_plan; PREPARE bench_explain AS {text}";
        await command.ExecuteNonQueryAsync();
        Console.WriteLine("-- generic plan (prepared statement)");
        await PrintAsync(command, $"EXPLAIN (ANALYZE, BUFFERS) EXECUTE bench_explain({string.Join(", ", values)})");

        // Which plan PostgreSQL settles on by itself (plan_cache_mode = auto) after the five custom plans it always tries first.
        command.CommandText = "SET LOCAL plan_cache_mode = auto; " + string.Concat(Enumerable.Repeat($"EXECUTE bench_explain({string.Join(", ", values)}); ", 10));
        await command.ExecuteNonQueryAsync();
        command.CommandText = "SELECT format('-- plan_cache_mode auto, 10 executions: %s generic, %s custom', generic_plans, custom_plans) FROM pg_prepared_statements WHERE name = 'bench_explain'";
        Console.WriteLine(await command.ExecuteScalarAsync());
        command.CommandText = "DEALLOCATE bench_explain";
        await command.ExecuteNonQueryAsync();
    }

    private static async Task PrintAsync(NpgsqlCommand command, string sql)
    {
        command.CommandText = sql;
        await using var r = await command.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            Console.WriteLine(r.GetString(0));
        }
    }

    private async Task ExportAsync()
    {
        var from = DateTimeOffset.UtcNow.AddDays(-3);
        var started = Stopwatch.GetTimestamp();
        long lines = 0;
        using (var response = await service.Client.GetAsync($"/api/v1/audit-events/export?format=ndjson&from={Uri.EscapeDataString(from.ToString("O"))}",
            HttpCompletionOption.ResponseHeadersRead))
        {
            response.EnsureSuccessStatusCode();
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            while (await reader.ReadLineAsync() is not null)
            {
                lines++;
            }
        }

        var httpSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var query = new AuditQuery(null, null, null, null, false, null, null, null, null, from, null, null, 0, null);
        started = Stopwatch.GetTimestamp();
        var rows = await RunSqlAsync(null, [($"SELECT {AuditQueryReader.Columns} FROM audit_events WHERE {{0}} ORDER BY occurred_at DESC, seq DESC, tenant_id DESC",
            c => c.CommandText = string.Format(CultureInfo.InvariantCulture, c.CommandText, AuditQueryReader.Where(c.Parameters, Platform, TenantScope.Platform, query)))]);
        var rawSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        Console.WriteLine($"export NDJSON (all tenants, last 3 days): HTTP {lines:N0} rows in {httpSeconds:N2} s = {lines / httpSeconds:N0} rows/s | raw SQL {rows:N0} rows in {rawSeconds:N2} s = {rows / rawSeconds:N0} rows/s");
    }

    private static string P(List<double> values, int percentile)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)].ToString("F2", CultureInfo.InvariantCulture);
    }
}
