using Npgsql;

namespace Api.Identity;

public sealed class UserStore(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, email, display_name, password_hash, role, tenant_id, created_at, last_sign_in_at, invitation_hash IS NOT NULL";

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

    /// <summary>Users of the given tenants (support users assigned to them included), or everyone when null.</summary>
    public async Task<IReadOnlyList<User>> ListAsync(IReadOnlyCollection<Guid>? tenants, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT {Columns} FROM users
            WHERE @tenants::uuid[] IS NULL OR tenant_id = ANY(@tenants)
            ORDER BY created_at
            """);
        command.Parameters.AddWithValue("tenants", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Uuid, (object?)tenants?.ToArray() ?? DBNull.Value);
        var list = new List<User>();
        await using var r = await command.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(Read(r));
        }

        return list;
    }

    /// <summary>Inserts the user unless the email is taken; answers whether it was inserted.</summary>
    public async Task<bool> TryCreateAsync(User user, CancellationToken ct, byte[]? invitationHash = null, DateTimeOffset? invitationExpiresAt = null)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO users (id, email, display_name, password_hash, role, tenant_id, invitation_hash, invitation_expires_at)
            SELECT @id, @email, @name, @hash, @role, @tenant, @invitation, @invitation_expires
            WHERE NOT EXISTS (SELECT 1 FROM users WHERE lower(email) = lower(@email))
            ON CONFLICT DO NOTHING
            """);
        command.Parameters.AddWithValue("id", user.Id);
        command.Parameters.AddWithValue("email", user.Email);
        command.Parameters.AddWithValue("name", user.DisplayName);
        command.Parameters.AddWithValue("hash", user.PasswordHash);
        command.Parameters.AddWithValue("role", user.Role);
        command.Parameters.AddWithValue("tenant", (object?)user.TenantId ?? DBNull.Value);
        command.Parameters.AddWithValue("invitation", NpgsqlTypes.NpgsqlDbType.Bytea, (object?)invitationHash ?? DBNull.Value);
        command.Parameters.AddWithValue("invitation_expires", NpgsqlTypes.NpgsqlDbType.TimestampTz, (object?)invitationExpiresAt ?? DBNull.Value);
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>Sets the password of the user holding a live invitation, once; answers the user or null.</summary>
    public async Task<User?> AcceptInvitationAsync(byte[] invitationHash, Func<User, string> hashPassword, CancellationToken ct)
    {
        await using var find = dataSource.CreateCommand($"SELECT {Columns} FROM users WHERE invitation_hash = @h AND invitation_expires_at > now()");
        find.Parameters.AddWithValue("h", invitationHash);
        if (await ReadOneAsync(find, ct) is not { } user)
        {
            return null;
        }

        await using var update = dataSource.CreateCommand(
            "UPDATE users SET password_hash = @hash, invitation_hash = NULL, invitation_expires_at = NULL WHERE id = @id AND invitation_hash = @h");
        update.Parameters.AddWithValue("hash", hashPassword(user));
        update.Parameters.AddWithValue("id", user.Id);
        update.Parameters.AddWithValue("h", invitationHash);
        return await update.ExecuteNonQueryAsync(ct) == 1 ? user with { InvitationPending = false } : null;
    }

    public async Task MarkSignedInAsync(Guid id, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("UPDATE users SET last_sign_in_at = now() WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<bool> ChangeRoleAsync(Guid id, string role, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("UPDATE users SET role = @role WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("role", role);
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    public async Task<bool> DeleteAsync(Guid id, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM users WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    private static async Task<User?> ReadOneAsync(NpgsqlCommand command, CancellationToken ct)
    {
        await using var r = await command.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? Read(r) : null;
    }

    private static User Read(NpgsqlDataReader r) =>
        new(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4),
            r.IsDBNull(5) ? null : r.GetGuid(5), r.GetFieldValue<DateTimeOffset>(6),
            r.IsDBNull(7) ? null : r.GetFieldValue<DateTimeOffset>(7), r.GetBoolean(8));
}
