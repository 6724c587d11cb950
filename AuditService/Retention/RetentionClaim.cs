namespace AuditService.Retention;

/// <summary>
/// The right to run retention across every AuditService instance on one database: a session advisory lock on a
/// connection of its own, held until disposed. Without it each instance ran the schedule on its own timer, and the
/// Retention page listed every run once per instance. The lock names no table, so the connection needs no scope.
/// </summary>
public sealed class RetentionClaim : IAsyncDisposable
{
    private const string Key = "hashtext('auditservice.retention')";

    private readonly NpgsqlConnection _connection;

    private RetentionClaim(NpgsqlConnection connection) => _connection = connection;

    /// <summary>Waits for the claim (<paramref name="wait"/>), or answers null at once when another run holds it.</summary>
    public static async Task<RetentionClaim?> TakeAsync(AuditDb db, bool wait, CancellationToken ct)
    {
        var connection = await db.OpenConnectionAsync(ct);
        try
        {
            await using var command = new NpgsqlCommand(
                wait ? $"SELECT pg_advisory_lock({Key}) IS NOT NULL" : $"SELECT pg_try_advisory_lock({Key})", connection);
            if ((bool)(await command.ExecuteScalarAsync(ct))!)
            {
                return new RetentionClaim(connection);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        await connection.DisposeAsync();
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var unlock = new NpgsqlCommand($"SELECT pg_advisory_unlock({Key})", _connection);
            await unlock.ExecuteScalarAsync();
        }
        catch (NpgsqlException)
        {
            // The session is gone, and its lock with it.
        }
        finally
        {
            await _connection.DisposeAsync();
        }
    }
}
