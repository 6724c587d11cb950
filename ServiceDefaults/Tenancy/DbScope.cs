using System.Data;
using Npgsql;

namespace Tenancy;

/// <summary>
/// One unit of work under one tenant scope, in either service's database. The scope travels with the commands: outside
/// a transaction each command or batch carries it (a CALL to the database's scope procedure, <c>app_scope</c> in appdb,
/// <c>audit_scope</c> in auditdb, which sets it with set_config(..., true)) and runs in its own implicit transaction, so
/// a read or a one-statement write is one round trip, atomic, and leaves nothing on the connection. Work that must see
/// one snapshot or commit across round trips calls <see cref="BeginTransactionAsync(CancellationToken)"/>: BEGIN and
/// the scope go with the next command, later commands run under them, and disposing without
/// <see cref="CommitAsync(CancellationToken)"/> rolls back.
/// </summary>
/// <param name="scopeProcedure">The database's scope procedure, taking (all tenants, tenant ids as CSV).</param>
/// <param name="ownsConnection">False for a connection the caller keeps between units (AuditService's writer lanes).</param>
public sealed class DbScope(NpgsqlConnection connection, TenantScope scope, string scopeProcedure, bool ownsConnection = true) : IAsyncDisposable
{
    private readonly string _scopeSql = $"CALL {scopeProcedure}(@tenancy_scope_all, @tenancy_scope_ids)";

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

        var command = new NpgsqlCommand($"{_scopeSql};\n{sql}", connection, _transaction);
        AddScope(command.Parameters);
        return command;
    }

    public NpgsqlBatch Batch()
    {
        var batch = new NpgsqlBatch(connection) { Transaction = _transaction };
        if (NeedsScope())
        {
            var call = new NpgsqlBatchCommand(_scopeSql);
            AddScope(call.Parameters);
            batch.BatchCommands.Add(call);
        }

        return batch;
    }

    /// <summary>
    /// Adds <c>@all</c> and <c>@tenants</c>, this unit's own scope, for a query that also filters on it in SQL
    /// (<c>@all OR tenant_id = ANY(@tenants)</c>) so the planner can use the tenant indexes.
    /// </summary>
    public void AddTenantFilter(NpgsqlParameterCollection parameters)
    {
        parameters.AddWithValue("all", scope.AllTenants);
        parameters.AddWithValue("tenants", scope.TenantArray);
    }

    public Task BeginTransactionAsync(CancellationToken ct) => BeginTransactionAsync(IsolationLevel.Unspecified, ct);

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

    /// <summary>Commits, then answers <paramref name="result"/> (what the unit of work read or wrote before committing).</summary>
    public async Task<T> CommitAsync<T>(T result, CancellationToken ct)
    {
        await CommitAsync(ct);
        return result;
    }

    /// <summary>Rolls back the transaction begun on this unit, if any.</summary>
    public async Task RollbackAsync(CancellationToken ct)
    {
        if (_transaction is { } transaction)
        {
            _transaction = null;
            await transaction.RollbackAsync(ct);
            await transaction.DisposeAsync();
        }
    }

    /// <summary>Runs one write and commits; answers the rows affected.</summary>
    public async Task<int> ExecuteAndCommitAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var rows = await command.ExecuteNonQueryAsync(ct);
        await CommitAsync(ct);
        return rows;
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
        parameters.AddWithValue("tenancy_scope_all", scope.AllTenants);
        parameters.AddWithValue("tenancy_scope_ids", scope.Csv);
    }
}
