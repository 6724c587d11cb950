using Audit.Contracts;
using Npgsql;

namespace AuditIngest.Bench;

/// <summary>
/// The limit: binary COPY of the same rows straight into the same partitioned table (as the superuser, which
/// row-level security does not stop), in transactions of <c>batchSize</c> rows, with made-up hashes.
/// </summary>
public static class RawCopy
{
    public static Task<long> RunAsync(string admin, int connections, int batchSize, TimeSpan duration) =>
        Connections.RunAsync(admin, connections, duration, async (connection, tenant, hash, stop) =>
        {
            long seq = 0;
            while (!stop.IsCancellationRequested)
            {
                await using var tx = await connection.BeginTransactionAsync();
                await using (var import = await connection.BeginBinaryImportAsync($"COPY audit_events ({Columns.List}) FROM STDIN (FORMAT BINARY)"))
                {
                    for (var i = 0; i < batchSize; i++)
                    {
                        await WriteRowAsync(import, BenchEvents.New(tenant, i), ++seq, hash);
                    }

                    await import.CompleteAsync();
                }

                await tx.CommitAsync();
            }

            return seq;
        });

    private static async Task WriteRowAsync(NpgsqlBinaryImporter import, AuditEventDto e, long seq, byte[] hash)
    {
        await import.StartRowAsync();
        foreach (var (value, type) in Columns.Values(e, seq, hash))
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
