using System.Data;
using Npgsql;

namespace AuditService.Data;

/// <summary>
/// One unit of work under one tenant scope: the twin of the Api's. The scope travels with the commands: outside a
/// transaction each command or batch carries it (a CALL to audit_scope ahead of its statements, set with
/// set_config(..., true)) and runs in its own implicit transaction, so a read is one round trip and leaves nothing on the
/// connection. Work that must see one snapshot or commit across round trips calls <see cref="BeginTransactionAsync"/>:
/// BEGIN and the scope go with the next command, later commands run under them, and disposing without
/// <see cref="CommitAsync"/> rolls back.
/// </summary>
public sealed class DbScope(NpgsqlConnection connection, TenantScope scope, bool ownsConnection) : IAsyncDisposable
{
    private const string ScopeSql = "CALL audit_scope(@audit_scope_all, @audit_scope_ids)";

    private NpgsqlTransaction? _transaction;

    // Set once the transaction's scope has gone out with a command. Should that command never run, later ones see no
    // tenant rows: the mistake fails closed.
    private bool _transactionScoped;

    /// <summary>The tenants this unit of work sees.</summary>
    public TenantScope Scope => scope;

    public NpgsqlCommand Command(string sql)
    {
        if (!NeedsScope())
        {
            return new NpgsqlCommand(sql, connection, _transaction);
        }

        var command = new NpgsqlCommand($"{ScopeSql};\n{sql}", connection, _transaction);
        AddScope(command.Parameters);
        return command;
    }

    /// <summary>A batch whose first command sets the scope (it has no result set), when the scope has not gone out yet.</summary>
    public NpgsqlBatch Batch()
    {
        var batch = new NpgsqlBatch(connection) { Transaction = _transaction };
        if (NeedsScope())
        {
            var call = new NpgsqlBatchCommand(ScopeSql);
            AddScope(call.Parameters);
            batch.BatchCommands.Add(call);
        }

        return batch;
    }

    public async Task BeginTransactionAsync(IsolationLevel isolation, CancellationToken ct)
    {
        // Npgsql sends BEGIN with the next command, which also carries the scope.
        _transaction = await connection.BeginTransactionAsync(isolation, ct);
        _transactionScoped = false;
    }

    /// <summary>Commits the transaction begun on this unit, if any; outside one every command has committed already.</summary>
    public async Task CommitAsync(CancellationToken ct)
    {
        if (_transaction is { } transaction)
        {
            _transaction = null;
            await transaction.CommitAsync(ct);
            await transaction.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_transaction is not null)
        {
            await _transaction.DisposeAsync();
        }

        if (ownsConnection)
        {
            await connection.DisposeAsync();
        }
    }

    // Outside a transaction every command carries the scope; inside one, only the first.
    private bool NeedsScope()
    {
        if (_transaction is null)
        {
            return true;
        }

        if (_transactionScoped)
        {
            return false;
        }

        _transactionScoped = true;
        return true;
    }

    private void AddScope(NpgsqlParameterCollection parameters)
    {
        parameters.AddWithValue("audit_scope_all", scope.AllTenants);
        parameters.AddWithValue("audit_scope_ids", scope.Csv);
    }
}
