using Npgsql;

namespace AuditIngest.Bench;

/// <summary>Runs a writing loop on several connections of its own, each for its own tenant, until the time is up.</summary>
public static class Connections
{
    public delegate Task<long> Writer(NpgsqlConnection connection, Guid tenant, byte[] hash, CancellationToken stop);

    public static async Task<long> RunAsync(string connectionString, int connections, TimeSpan duration, Writer writer)
    {
        using var stop = new CancellationTokenSource(duration);
        var written = await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            return await writer(connection, Guid.CreateVersion7(), new byte[32], stop.Token);
        }));
        return written.Sum();
    }
}
