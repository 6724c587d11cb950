using Npgsql;

namespace AuditIngest.Bench;

/// <summary>The naive way: one INSERT, one transaction, one commit per event, from as many connections as there are clients.</summary>
public static class NaiveInsert
{
    public static Task<long> RunAsync(string admin, int connections, TimeSpan duration)
    {
        var parameters = string.Join(", ", Enumerable.Range(1, Columns.List.Split(',').Length).Select(i => $"${i}"));
        return Connections.RunAsync(admin, connections, duration, async (connection, tenant, hash, stop) =>
        {
            long seq = 0;
            while (!stop.IsCancellationRequested)
            {
                await using var insert = new NpgsqlCommand($"INSERT INTO audit_events ({Columns.List}) VALUES ({parameters})", connection);
                foreach (var (value, type) in Columns.Values(BenchEvents.New(tenant, (int)seq), ++seq, hash))
                {
                    insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = type, Value = value ?? DBNull.Value });
                }

                await insert.ExecuteNonQueryAsync();
            }

            return seq;
        });
    }
}
