using Npgsql;

namespace AuditIngest.Bench;

/// <summary>
/// WAL bytes written and checkpoints taken by the cluster, so a run can say how much WAL each way writes per event
/// and whether a checkpoint (and the full-page images that follow it) fell inside its window.
/// </summary>
public sealed class WalMeter(string adminConnectionString)
{
    public readonly record struct Sample(decimal WalBytes, long Checkpoints);

    public async Task<Sample> ReadAsync()
    {
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0'), checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new Sample(reader.GetDecimal(0), reader.GetInt64(1));
    }
}
