using System.Diagnostics;
using AuditQueryBench;
using Npgsql;
using Testing;

namespace DashboardRender.Bench;

/// <summary>
/// Loads the events into the running AppHost's auditdb with real hash chains (binary COPY as the cluster's
/// superuser): every fourth event goes to a real seeded tenant, so its admin's first page comes from a large
/// tenant; the rest spread across 1,000 synthetic tenants; all within the last 20 days.
/// </summary>
public sealed class Loading(PlatformApp host)
{
    private const int Tenants = 1000;

    public string Superuser => new NpgsqlConnectionStringBuilder(host.ConnectionStringAsync("postgres").GetAwaiter().GetResult())
    {
        Database = "auditdb",
    }.ConnectionString;

    public async Task LoadAsync(long events, Guid bigTenant)
    {
        var end = DateTimeOffset.UtcNow.AddMinutes(-1);
        var within = TimeSpan.FromDays(20);
        var loader = new ChainLoader(Superuser);
        await loader.EnsurePartitionsAsync(end - within, 2, CancellationToken.None);

        // The seeded tenant already has a chain (its sign-ins are audited): continue it once it is quiet.
        if (await QuietHeadAsync(bigTenant) is { } head)
        {
            loader.Continue(bigTenant, head.Seq, head.Hash, head.RecordedAt);
        }

        var load = Stopwatch.StartNew();
        const long chunk = 200_000;
        for (long from = 0; from < events; from += chunk)
        {
            var to = Math.Min(events, from + chunk);
            await loader.LoadAsync(DataSet.Generate(from, to, events, Tenants, end, within,
                i => i % 4 == 0 ? bigTenant : DataSet.Tenant((int)(i % Tenants))), CancellationToken.None);
            Console.WriteLine($"loaded {to:N0} events, {to / load.Elapsed.TotalSeconds:N0}/s");
        }

        await AuditQueryBench.Sql.ExecuteAsync(Superuser, "VACUUM ANALYZE audit_events");
        Console.WriteLine($"load: {events:N0} events ({events / 4:N0} for the seeded tenant, the rest across {Tenants:N0}) in {load.Elapsed.TotalSeconds:N0} s");
    }

    private async Task<(long Seq, byte[] Hash, DateTimeOffset RecordedAt)?> QuietHeadAsync(Guid tenant)
    {
        (long Seq, byte[] Hash, DateTimeOffset RecordedAt)? last = null;
        for (var attempt = 0; attempt < 30; attempt++)
        {
            var head = await HeadAsync(tenant);
            if (attempt > 0 && head?.Seq == last?.Seq)
            {
                return head;
            }

            last = head;
            await Task.Delay(TimeSpan.FromSeconds(2));
        }

        throw new InvalidOperationException($"Tenant {tenant}'s chain kept growing; cannot load behind it safely.");
    }

    private async Task<(long Seq, byte[] Hash, DateTimeOffset RecordedAt)?> HeadAsync(Guid tenant)
    {
        await using var connection = new NpgsqlConnection(Superuser);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT c.last_seq, c.last_hash, e.recorded_at FROM tenant_chains c
            JOIN audit_events e ON e.tenant_id = c.tenant_id AND e.seq = c.last_seq WHERE c.tenant_id = @t
            """, connection);
        command.Parameters.AddWithValue("t", tenant);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetInt64(0), reader.GetFieldValue<byte[]>(1), reader.GetFieldValue<DateTimeOffset>(2)) : null;
    }
}
