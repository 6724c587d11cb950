using Npgsql;

namespace Api.Identity;

public sealed class UserStore(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, email, display_name, password_hash, role, tenant_id, created_at";

    public async Task<User?> FindByEmailAsync(string email, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM users WHERE lower(email) = lower(@email)");
        command.Parameters.AddWithValue("email", email);
        return await ReadOneAsync(command, ct);
    }

    public async Task<User?> FindAsync(Guid id, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM users WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        return await ReadOneAsync(command, ct);
    }

    /// <summary>Inserts the user unless the email is taken; answers whether it was inserted.</summary>
    public async Task<bool> TryCreateAsync(User user, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO users (id, email, display_name, password_hash, role, tenant_id)
            SELECT @id, @email, @name, @hash, @role, @tenant
            WHERE NOT EXISTS (SELECT 1 FROM users WHERE lower(email) = lower(@email))
            """);
        command.Parameters.AddWithValue("id", user.Id);
        command.Parameters.AddWithValue("email", user.Email);
        command.Parameters.AddWithValue("name", user.DisplayName);
        command.Parameters.AddWithValue("hash", user.PasswordHash);
        command.Parameters.AddWithValue("role", user.Role);
        command.Parameters.AddWithValue("tenant", (object?)user.TenantId ?? DBNull.Value);
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    private static async Task<User?> ReadOneAsync(NpgsqlCommand command, CancellationToken ct)
    {
        await using var r = await command.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct)
            ? new User(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4),
                r.IsDBNull(5) ? null : r.GetGuid(5), r.GetFieldValue<DateTimeOffset>(6))
            : null;
    }
}
