using Npgsql;

namespace Api.Data;

/// <summary>
/// One transaction under one tenant scope. Writes must call <see cref="CommitAsync"/>; disposing without it
/// rolls back (which is all a read needs).
/// </summary>
public sealed class DbScope(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
{
    public NpgsqlCommand Command(string sql) => new(sql, connection, transaction);

    public NpgsqlBatch Batch() => new(connection) { Transaction = transaction };

    public Task CommitAsync(CancellationToken ct) => transaction.CommitAsync(ct);

    /// <summary>Runs one write and commits; answers the rows affected.</summary>
    public async Task<int> ExecuteAndCommitAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var rows = await command.ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }
}
