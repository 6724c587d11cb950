using System.Diagnostics;
using AuditService.Queries;
using Npgsql;

namespace DashboardRender.Bench;

/// <summary>
/// The summary's counts over the last day as SQL, side by side in one run: one pass with grouping sets (what AuditService
/// runs) against the three GROUP BY queries it ran before (severity; top ten actions; top ten actors). As the cluster's
/// superuser, so neither pays row-level security; for one tenant and for every tenant.
/// </summary>
public sealed class StatsShapes(string connectionString)
{
    private const string Window = "occurred_at >= @from AND occurred_at < @to";

    public async Task<(List<double> GroupingSets, List<double> ThreeQueries)> MeasureAsync(Guid? tenant, int repetitions)
    {
        var where = tenant is null ? Window : $"{Window} AND tenant_id = @tenant";
        string[] one = [AuditQueryReader.StatsText(where)];
        string[] three =
        [
            $"SELECT severity, count(*) FROM audit_events WHERE {where} GROUP BY 1",
            $"SELECT action, count(*) FROM audit_events WHERE {where} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10",
            $"SELECT actor_id, count(*), max(actor_name) FROM audit_events WHERE {where} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10",
        ];
        List<double> grouping = [], separate = [];
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        // Taking turns, so both meet the same moments of a busy machine.
        for (var i = -2; i < repetitions; i++)
        {
            var a = await TimeAsync(connection, one, tenant);
            var b = await TimeAsync(connection, three, tenant);
            if (i >= 0)
            {
                grouping.Add(a);
                separate.Add(b);
            }
        }

        return (grouping, separate);
    }

    private static async Task<double> TimeAsync(NpgsqlConnection connection, string[] statements, Guid? tenant)
    {
        var now = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        foreach (var sql in statements)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.AddWithValue("from", now.AddHours(-24));
            command.Parameters.AddWithValue("to", now);
            if (tenant is { } t)
            {
                command.Parameters.AddWithValue("tenant", t);
            }

            await using var r = await command.ExecuteReaderAsync();
            while (await r.ReadAsync())
            {
            }
        }

        return clock.Elapsed.TotalMilliseconds;
    }
}
