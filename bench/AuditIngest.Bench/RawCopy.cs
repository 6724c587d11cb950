using Audit.Contracts;
using Npgsql;

namespace AuditIngest.Bench;

/// <summary>
/// The limit: binary COPY of the same rows straight into the same partitioned table (as the superuser, which
/// row-level security does not stop), in transactions of <c>batchSize</c> rows, with made-up hashes. With
/// <c>withIdLedger</c> each transaction also copies the rows' entries of the id ledger (audit_event_ids), which the
/// service writes beside every event: the limit for the same stored data.
/// </summary>
public static class RawCopy
{
    public static Task<long> RunAsync(string admin, int connections, int batchSize, TimeSpan duration, bool withIdLedger = false) =>
        Connections.RunAsync(admin, connections, duration, async (connection, tenant, hash, stop) =>
        {
            long seq = 0;
            var batch = new List<(AuditEventDto Event, long Seq)>(batchSize);
            while (!stop.IsCancellationRequested)
            {
                batch.Clear();
                for (var i = 0; i < batchSize; i++)
                {
                    batch.Add((BenchEvents.New(tenant, i), ++seq));
                }

                await using var tx = await connection.BeginTransactionAsync();
                await using (var import = await connection.BeginBinaryImportAsync($"COPY audit_events ({Columns.List}) FROM STDIN (FORMAT BINARY)"))
                {
                    foreach (var (e, s) in batch)
                    {
                        await WriteRowAsync(import, Columns.Values(e, s, hash));
                    }

                    await import.CompleteAsync();
                }

                if (withIdLedger)
                {
                    await using var ledger = await connection.BeginBinaryImportAsync(
                        "COPY audit_event_ids (event_id, tenant_id, seq, occurred_at, category) FROM STDIN (FORMAT BINARY)");
                    foreach (var (e, s) in batch)
                    {
                        await WriteRowAsync(ledger, [(e.Id, NpgsqlTypes.NpgsqlDbType.Uuid), (tenant, NpgsqlTypes.NpgsqlDbType.Uuid),
                            (s, NpgsqlTypes.NpgsqlDbType.Bigint), (e.OccurredAt, NpgsqlTypes.NpgsqlDbType.TimestampTz), (e.Category, NpgsqlTypes.NpgsqlDbType.Text)]);
                    }

                    await ledger.CompleteAsync();
                }

                await tx.CommitAsync();
            }

            return seq;
        });

    private static async Task WriteRowAsync(NpgsqlBinaryImporter import, IEnumerable<(object? Value, NpgsqlTypes.NpgsqlDbType Type)> values)
    {
        await import.StartRowAsync();
        foreach (var (value, type) in values)
        {
            if (value is null)
            {
                await import.WriteNullAsync();
            }
            else
            {
                await import.WriteAsync(value, type);
            }
        }
    }
}
