namespace Api.Identity;

public enum SignUpConflict { None, Email, Slug }

/// <summary>Creates a tenant on the free plan and its first admin together, or neither.</summary>
public sealed class SignUpStore
{
    /// <summary>Runs in the platform scope (e-mail addresses are unique across tenants, and the tenant does not exist yet).</summary>
    public async Task<(SignUpConflict Conflict, Tenant? Tenant)> CreateAsync(DbScope db, string tenantName, string slug, User admin, CancellationToken ct)
    {
        await db.BeginTransactionAsync(ct);
        var conflict = await InsertAsync(db, tenantName, slug, admin, ct);
        if (conflict.Conflict != SignUpConflict.None)
        {
            await db.RollbackAsync(ct);
            return conflict;
        }

        return await db.CommitAsync(conflict, ct);
    }

    private static async Task<(SignUpConflict Conflict, Tenant? Tenant)> InsertAsync(DbScope db, string tenantName, string slug, User admin, CancellationToken ct)
    {
        await using (var taken = db.Command("SELECT 1 FROM users WHERE lower(email) = lower(@e)"))
        {
            taken.Parameters.AddWithValue("e", admin.Email);
            if (await taken.ExecuteScalarAsync(ct) is not null)
            {
                return (SignUpConflict.Email, null);
            }
        }

        var tenant = new Tenant(Guid.CreateVersion7(), tenantName, slug, "free", DateTimeOffset.UtcNow);
        await using (var insert = db.Command(
            "INSERT INTO tenants (id, name, slug, plan) VALUES (@id, @name, @slug, 'free') ON CONFLICT (slug) DO NOTHING"))
        {
            insert.Parameters.AddWithValue("id", tenant.Id);
            insert.Parameters.AddWithValue("name", tenantName);
            insert.Parameters.AddWithValue("slug", slug);
            if (await insert.ExecuteNonQueryAsync(ct) == 0)
            {
                return (SignUpConflict.Slug, null);
            }
        }

        await using (var user = db.Command(
            """
            INSERT INTO users (id, email, display_name, password_hash, role, tenant_id)
            VALUES (@id, @email, @name, @hash, 'tenant_admin', @tenant) ON CONFLICT DO NOTHING
            """))
        {
            user.Parameters.AddWithValue("id", admin.Id);
            user.Parameters.AddWithValue("email", admin.Email);
            user.Parameters.AddWithValue("name", admin.DisplayName);
            user.Parameters.AddWithValue("hash", admin.PasswordHash);
            user.Parameters.AddWithValue("tenant", tenant.Id);
            if (await user.ExecuteNonQueryAsync(ct) == 0)
            {
                return (SignUpConflict.Email, null);
            }
        }

        return (SignUpConflict.None, tenant);
    }
}
