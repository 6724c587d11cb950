using Npgsql;

namespace Api.Data;

/// <summary>
/// One transaction under one tenant scope. The scope travels with the first command or batch (a CALL to app_scope
/// ahead of its statements), so a unit of work costs no round trip of its own; BEGIN is sent with it too. Writes must
/// call <see cref="CommitAsync"/>; disposing without it rolls back (which is all a read needs).
/// </summary>
public sealed class DbScope(NpgsqlConnection connection, NpgsqlTransaction transaction, bool allTenants, string tenantIds) : IAsyncDisposable
{
    private const string ScopeSql = "CALL app_scope(@app_scope_all, @app_scope_ids)";

    // Set once the scope has been put on a command. Should that command never run, later ones see no tenant rows:
    // the mistake fails closed.
    private bool _scoped;

    public NpgsqlCommand Command(string sql)
    {
        if (_scoped)
        {
            return new NpgsqlCommand(sql, connection, transaction);
        }

        _scoped = true;
        var command = new NpgsqlCommand($"{ScopeSql};\n{sql}", connection, transaction);
        AddScope(command.Parameters);
        return command;
    }

    public NpgsqlBatch Batch()
    {
        var batch = new NpgsqlBatch(connection) { Transaction = transaction };
        if (!_scoped)
        {
            _scoped = true;
            var scope = new NpgsqlBatchCommand(ScopeSql);
            AddScope(scope.Parameters);
            batch.BatchCommands.Add(scope);
        }

        return batch;
    }

    public Task CommitAsync(CancellationToken ct) => transaction.CommitAsync(ct);

    /// <summary>Commits, then answers <paramref name="result"/> (what the unit of work read or wrote before committing).</summary>
    public async Task<T> CommitAsync<T>(T result, CancellationToken ct)
    {
        await transaction.CommitAsync(ct);
        return result;
    }

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

    private void AddScope(NpgsqlParameterCollection parameters)
    {
        parameters.AddWithValue("app_scope_all", allTenants);
        parameters.AddWithValue("app_scope_ids", tenantIds);
    }
}
