namespace Api.Identity;

public enum RefreshOutcome { Rotated, Invalid, Reused }

public sealed record RefreshResult(RefreshOutcome Outcome, Guid? UserId = null, string? Token = null);

/// <summary>
/// Opaque refresh tokens, stored as hashes. A token is good for one use: refreshing replaces it with a
/// new one of the same family. A replaced token presented again means it leaked, so its family is revoked.
/// Every operation is part of signing in or out, keyed by a token or user id before any tenant scope is
/// known (and super admins and support staff have no tenant), so callers open the platform scope.
/// </summary>
public sealed class RefreshTokenStore(IOptions<JwtOptions> options)
{
    public const string Prefix = "rt_";

    public Task<string> IssueAsync(DbScope db, Guid userId, CancellationToken ct) => InsertAsync(db, userId, Guid.CreateVersion7(), ct);

    /// <summary>One transaction: the token's row stays locked from the look-up to its replacement.</summary>
    public async Task<RefreshResult> RotateAsync(DbScope db, string token, CancellationToken ct)
    {
        await db.BeginTransactionAsync(ct);
        await using var find = db.Command(
            """
            SELECT id, family_id, user_id, replaced_at IS NOT NULL, revoked_at IS NOT NULL OR expires_at <= now()
            FROM refresh_tokens WHERE token_hash = @h FOR UPDATE
            """);
        find.Parameters.AddWithValue("h", OpaqueToken.Hash(token));
        (Guid Id, Guid Family, Guid User, bool Replaced, bool Dead)? row = null;
        await using (var r = await find.ExecuteReaderAsync(ct))
        {
            if (await r.ReadAsync(ct))
            {
                row = (r.GetGuid(0), r.GetGuid(1), r.GetGuid(2), r.GetBoolean(3), r.GetBoolean(4));
            }
        }

        if (row is not { } found)
        {
            await db.RollbackAsync(ct);
            return new RefreshResult(RefreshOutcome.Invalid);
        }

        var (id, family, user, replaced, dead) = found;

        if (replaced)
        {
            await RevokeFamilyAsync(db, family, ct);
            await db.CommitAsync(ct);
            return new RefreshResult(RefreshOutcome.Reused, user);
        }

        if (dead)
        {
            await db.RollbackAsync(ct);
            return new RefreshResult(RefreshOutcome.Invalid, user);
        }

        await using (var mark = db.Command("UPDATE refresh_tokens SET replaced_at = now() WHERE id = @id"))
        {
            mark.Parameters.AddWithValue("id", id);
            await mark.ExecuteNonQueryAsync(ct);
        }

        var next = await InsertAsync(db, user, family, ct);
        await db.CommitAsync(ct);
        return new RefreshResult(RefreshOutcome.Rotated, user, next);
    }

    /// <summary>Revokes the token's whole family (sign-out); answers the owner, or null for an unknown token.</summary>
    public async Task<Guid?> RevokeAsync(DbScope db, string token, CancellationToken ct)
    {
        await using var command = db.Command(
            """
            UPDATE refresh_tokens SET revoked_at = coalesce(revoked_at, now())
            WHERE family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = @h)
            RETURNING user_id
            """);
        command.Parameters.AddWithValue("h", OpaqueToken.Hash(token));
        return await command.ExecuteScalarAsync(ct) as Guid?;
    }

    private async Task<string> InsertAsync(DbScope db, Guid userId, Guid family, CancellationToken ct)
    {
        var token = OpaqueToken.New(Prefix);
        await using var insert = db.Command(
            """
            INSERT INTO refresh_tokens (id, family_id, user_id, token_hash, expires_at)
            VALUES (@id, @family, @user, @h, now() + @lifetime)
            """);
        insert.Parameters.AddWithValue("id", Guid.CreateVersion7());
        insert.Parameters.AddWithValue("family", family);
        insert.Parameters.AddWithValue("user", userId);
        insert.Parameters.AddWithValue("h", OpaqueToken.Hash(token));
        insert.Parameters.AddWithValue("lifetime", options.Value.RefreshTokenLifetime);
        await insert.ExecuteNonQueryAsync(ct);
        return token;
    }

    private static async Task RevokeFamilyAsync(DbScope db, Guid family, CancellationToken ct)
    {
        await using var revoke = db.Command("UPDATE refresh_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE family_id = @f");
        revoke.Parameters.AddWithValue("f", family);
        await revoke.ExecuteNonQueryAsync(ct);
    }
}
