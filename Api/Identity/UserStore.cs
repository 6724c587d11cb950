using Api.Data;
using Npgsql;

namespace Api.Identity;

public sealed class UserStore(AppDb db)
{
    private const string Columns = "id, email, display_name, password_hash, role, tenant_id, created_at, last_sign_in_at, invitation_hash IS NOT NULL, locked_until";

    /// <summary>Sign-in: the platform scope, since the tenant is not known before the user is found.</summary>
    public async Task<User?> FindByEmailAsync(string email, CancellationToken ct)
    {
        await using var scope = await db.OpenPlatformAsync(ct);
        await using var command = scope.Command($"SELECT {Columns} FROM users WHERE lower(email) = lower(@email)");
        command.Parameters.AddWithValue("email", email);
        return await ReadOneAsync(command, ct);
    }

    /// <summary>
    /// Any user by id, in the platform scope: for ids that come from a verified token or refresh token (the
    /// caller's own account, which for super admins and support staff has no tenant) and for super admins.
    /// </summary>
    public async Task<User?> FindAsync(Guid id, CancellationToken ct)
    {
        await using var scope = await db.OpenPlatformAsync(ct);
        return await FindAsync(scope, id, ct);
    }

    /// <summary>A user of the tenant, looked up in that tenant's scope only.</summary>
    public async Task<User?> FindMemberAsync(Guid tenantId, Guid id, CancellationToken ct)
    {
        await using var scope = await db.OpenTenantAsync(tenantId, ct);
        return await FindAsync(scope, id, ct) is { } user && user.TenantId == tenantId ? user : null;
    }

    /// <summary>Users of the given tenants (support users assigned to them included), or everyone when null.</summary>
    public async Task<IReadOnlyList<User>> ListAsync(IReadOnlyCollection<Guid>? tenants, CancellationToken ct)
    {
        await using var scope = await db.OpenVisibleAsync(tenants, ct);
        await using var command = scope.Command(
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
        // A user without a tenant (super admin, support; seeded at start-up) exists only in the platform scope.
        // Within a tenant scope the e-mail check sees that tenant only; the unique index still refuses a taken address.
        await using var scope = await db.OpenOwnAsync(user.TenantId, ct);
        await using var command = scope.Command(
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
        return await scope.ExecuteAndCommitAsync(command, ct) == 1;
    }

    /// <summary>Sets the password of the user holding a live invitation, once; answers the user or null.</summary>
    public async Task<User?> AcceptInvitationAsync(byte[] invitationHash, Func<User, string> hashPassword, CancellationToken ct)
    {
        // Platform scope: the invitation token is the only credential, the tenant is known only from the row it finds.
        await using var scope = await db.OpenPlatformAsync(ct);
        await using var find = scope.Command($"SELECT {Columns} FROM users WHERE invitation_hash = @h AND invitation_expires_at > now()");
        find.Parameters.AddWithValue("h", invitationHash);
        if (await ReadOneAsync(find, ct) is not { } user)
        {
            return null;
        }

        await using var update = scope.Command(
            "UPDATE users SET password_hash = @hash, invitation_hash = NULL, invitation_expires_at = NULL WHERE id = @id AND invitation_hash = @h");
        update.Parameters.AddWithValue("hash", hashPassword(user));
        update.Parameters.AddWithValue("id", user.Id);
        update.Parameters.AddWithValue("h", invitationHash);
        return await scope.ExecuteAndCommitAsync(update, ct) == 1 ? user with { InvitationPending = false } : null;
    }

    /// <summary>Part of signing in (platform scope: super admins and support staff have no tenant); ends any failure streak.</summary>
    public async Task MarkSignedInAsync(Guid id, CancellationToken ct)
    {
        await using var scope = await db.OpenPlatformAsync(ct);
        await using var command = scope.Command("UPDATE users SET last_sign_in_at = now(), failed_sign_ins = 0, locked_until = NULL WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        await scope.ExecuteAndCommitAsync(command, ct);
    }

    /// <summary>
    /// Counts a failed sign-in (platform scope, like sign-in itself) and locks the account for as long as the options
    /// say for this many failures in a row; answers the new count and the lock's end, if the account is now locked.
    /// One statement, so concurrent guesses each count.
    /// </summary>
    public async Task<(int Failures, DateTimeOffset? LockedUntil)> RecordFailedSignInAsync(Guid id, SignInLockoutOptions lockout, DateTimeOffset now, CancellationToken ct)
    {
        await using var scope = await db.OpenPlatformAsync(ct);
        await using var command = scope.Command(
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
        (int, DateTimeOffset?) result = (0, null);
        await using (var r = await command.ExecuteReaderAsync(ct))
        {
            if (await r.ReadAsync(ct))
            {
                result = (r.GetInt32(0), r.IsDBNull(1) ? null : r.GetFieldValue<DateTimeOffset>(1));
            }
        }

        return await scope.CommitAsync(result, ct);
    }

    /// <summary>An admin's unlock: the account takes passwords again, its failure streak forgotten.</summary>
    public async Task<bool> UnlockAsync(Guid? tenantId, Guid id, CancellationToken ct)
    {
        await using var scope = await db.OpenOwnAsync(tenantId, ct);
        await using var command = scope.Command("UPDATE users SET failed_sign_ins = 0, locked_until = NULL WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        return await scope.ExecuteAndCommitAsync(command, ct) == 1;
    }

    public async Task<bool> ChangeRoleAsync(Guid tenantId, Guid id, string role, CancellationToken ct)
    {
        await using var scope = await db.OpenTenantAsync(tenantId, ct);
        await using var command = scope.Command("UPDATE users SET role = @role WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("role", role);
        return await scope.ExecuteAndCommitAsync(command, ct) == 1;
    }

    public async Task<bool> DeleteAsync(Guid tenantId, Guid id, CancellationToken ct)
    {
        await using var scope = await db.OpenTenantAsync(tenantId, ct);
        await using var command = scope.Command("DELETE FROM users WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        return await scope.ExecuteAndCommitAsync(command, ct) == 1;
    }

    private static async Task<User?> FindAsync(DbScope scope, Guid id, CancellationToken ct)
    {
        await using var command = scope.Command($"SELECT {Columns} FROM users WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        return await ReadOneAsync(command, ct);
    }

    private static async Task<User?> ReadOneAsync(NpgsqlCommand command, CancellationToken ct)
    {
        await using var r = await command.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? Read(r) : null;
    }

    private static User Read(NpgsqlDataReader r) =>
        new(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4),
            r.IsDBNull(5) ? null : r.GetGuid(5), r.GetFieldValue<DateTimeOffset>(6),
            r.IsDBNull(7) ? null : r.GetFieldValue<DateTimeOffset>(7), r.GetBoolean(8), r.IsDBNull(9) ? null : r.GetFieldValue<DateTimeOffset>(9));
}
