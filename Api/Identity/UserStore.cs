namespace Api.Identity;

/// <summary>Users, read and written within the unit of work the caller opened (its scope decides what is visible).</summary>
public sealed class UserStore
{
    private const string Columns = "id, email, display_name, password_hash, role, tenant_id, created_at, last_sign_in_at, invitation_hash IS NOT NULL, locked_until";

    public async Task<User?> FindByEmailAsync(DbScope db, string email, CancellationToken ct)
    {
        await using var command = db.Command($"SELECT {Columns} FROM users WHERE lower(email) = lower(@email)");
        command.Parameters.AddWithValue("email", email);
        return await ReadOneAsync(command, ct);
    }

    public async Task<User?> FindAsync(DbScope db, Guid id, CancellationToken ct)
    {
        await using var command = db.Command($"SELECT {Columns} FROM users WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        return await ReadOneAsync(command, ct);
    }

    /// <summary>A user of the tenant.</summary>
    public async Task<User?> FindMemberAsync(DbScope db, Guid tenantId, Guid id, CancellationToken ct) =>
        await FindAsync(db, id, ct) is { } user && user.TenantId == tenantId ? user : null;

    /// <summary>Every user in the unit's scope (in the platform scope, staff without a tenant too).</summary>
    public async Task<IReadOnlyList<User>> ListAsync(DbScope db, CancellationToken ct)
    {
        await using var command = db.Command($"SELECT {Columns} FROM users WHERE @all OR tenant_id = ANY(@tenants) ORDER BY created_at");
        db.AddTenantFilter(command.Parameters);
        return await ReadAllAsync(command, ct);
    }

    /// <summary>The users of one tenant.</summary>
    public async Task<IReadOnlyList<User>> ListMembersAsync(DbScope db, Guid tenantId, CancellationToken ct)
    {
        await using var command = db.Command($"SELECT {Columns} FROM users WHERE tenant_id = @tenant ORDER BY created_at");
        command.Parameters.AddWithValue("tenant", tenantId);
        return await ReadAllAsync(command, ct);
    }

    /// <summary>Inserts the user unless the email is taken; answers whether it was inserted.</summary>
    public async Task<bool> TryCreateAsync(DbScope db, User user, CancellationToken ct, byte[]? invitationHash = null, DateTimeOffset? invitationExpiresAt = null)
    {
        // Within a tenant scope the e-mail check sees that tenant only; the unique index still refuses a taken address.
        await using var command = db.Command(
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
    public async Task<User?> AcceptInvitationAsync(DbScope db, byte[] invitationHash, Func<User, string> hashPassword, CancellationToken ct)
    {
        await using var find = db.Command($"SELECT {Columns} FROM users WHERE invitation_hash = @h AND invitation_expires_at > now()");
        find.Parameters.AddWithValue("h", invitationHash);
        if (await ReadOneAsync(find, ct) is not { } user)
        {
            return null;
        }

        // The invitation in the WHERE clause makes the second of two racing acceptances change nothing.
        await using var update = db.Command(
            "UPDATE users SET password_hash = @hash, invitation_hash = NULL, invitation_expires_at = NULL WHERE id = @id AND invitation_hash = @h");
        update.Parameters.AddWithValue("hash", hashPassword(user));
        update.Parameters.AddWithValue("id", user.Id);
        update.Parameters.AddWithValue("h", invitationHash);
        return await update.ExecuteNonQueryAsync(ct) == 1 ? user with { InvitationPending = false } : null;
    }

    /// <summary>Part of signing in; ends any failure streak.</summary>
    public async Task MarkSignedInAsync(DbScope db, Guid id, CancellationToken ct)
    {
        await using var command = db.Command("UPDATE users SET last_sign_in_at = now(), failed_sign_ins = 0, locked_until = NULL WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Counts a failed sign-in and locks the account for as long as the options say for this many failures in a row;
    /// answers the new count and the lock's end, if the account is now locked. One statement, so concurrent guesses
    /// each count.
    /// </summary>
    public async Task<(int Failures, DateTimeOffset? LockedUntil)> RecordFailedSignInAsync(DbScope db, Guid id, SignInLockoutOptions lockout,
        DateTimeOffset now, CancellationToken ct)
    {
        await using var command = db.Command(
            """
            UPDATE users SET failed_sign_ins = failed_sign_ins + 1,
                locked_until = CASE WHEN failed_sign_ins + 1 >= @threshold
                    THEN @now + least(@first * power(2, failed_sign_ins + 1 - @threshold), @max) ELSE locked_until END
            WHERE id = @id RETURNING failed_sign_ins, locked_until
            """);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("threshold", lockout.FailuresBeforeLockout);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("first", lockout.FirstLockout);
        command.Parameters.AddWithValue("max", lockout.MaxLockout);
        await using var r = await command.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? (r.GetInt32(0), r.IsDBNull(1) ? null : r.GetFieldValue<DateTimeOffset>(1)) : (0, null);
    }

    /// <summary>An admin's unlock: the account takes passwords again, its failure streak forgotten.</summary>
    public async Task<bool> UnlockAsync(DbScope db, Guid id, CancellationToken ct)
    {
        await using var command = db.Command("UPDATE users SET failed_sign_ins = 0, locked_until = NULL WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    public async Task<bool> ChangeRoleAsync(DbScope db, Guid tenantId, Guid id, string role, CancellationToken ct)
    {
        await using var command = db.Command("UPDATE users SET role = @role WHERE id = @id AND tenant_id = @tenant");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("tenant", tenantId);
        command.Parameters.AddWithValue("role", role);
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    public async Task<bool> DeleteAsync(DbScope db, Guid tenantId, Guid id, CancellationToken ct)
    {
        await using var command = db.Command("DELETE FROM users WHERE id = @id AND tenant_id = @tenant");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("tenant", tenantId);
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    private static async Task<User?> ReadOneAsync(NpgsqlCommand command, CancellationToken ct) => (await ReadAllAsync(command, ct)).FirstOrDefault();

    private static async Task<IReadOnlyList<User>> ReadAllAsync(NpgsqlCommand command, CancellationToken ct)
    {
        return await command.ReadListAsync(r => Read(r), ct);
    }

    private static User Read(NpgsqlDataReader r) =>
        new(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4),
            r.IsDBNull(5) ? null : r.GetGuid(5), r.GetFieldValue<DateTimeOffset>(6),
            r.IsDBNull(7) ? null : r.GetFieldValue<DateTimeOffset>(7), r.GetBoolean(8), r.IsDBNull(9) ? null : r.GetFieldValue<DateTimeOffset>(9));
}
