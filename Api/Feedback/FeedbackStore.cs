using Api.Data;
using Npgsql;

namespace Api.Feedback;

public sealed class FeedbackStore(AppDb db)
{
    private const string Columns = "id, tenant_id, user_id, user_email, kind, priority, message, page, status, triage_note, created_at, updated_at";

    public async Task<FeedbackItem> CreateAsync(Guid? tenantId, Guid userId, string email, string kind, string priority, string message, string? page, CancellationToken ct)
    {
        // Feedback of a user without a tenant (super admin, support) is platform-level: only the platform scope writes it.
        await using var scope = await db.OpenOwnAsync(tenantId, ct);
        await using var command = scope.Command(
            $"""
            INSERT INTO feedback (id, tenant_id, user_id, user_email, kind, priority, message, page)
            VALUES (@id, @tenant, @user, @email, @kind, @priority, @message, @page) RETURNING {Columns}
            """);
        command.Parameters.AddWithValue("id", Guid.CreateVersion7());
        command.Parameters.AddWithValue("tenant", NpgsqlTypes.NpgsqlDbType.Uuid, (object?)tenantId ?? DBNull.Value);
        command.Parameters.AddWithValue("user", userId);
        command.Parameters.AddWithValue("email", email);
        command.Parameters.AddWithValue("kind", kind);
        command.Parameters.AddWithValue("priority", priority);
        command.Parameters.AddWithValue("message", message);
        command.Parameters.AddWithValue("page", (object?)page ?? DBNull.Value);
        return await scope.CommitAsync((await ReadAsync(command, ct))[0], ct);
    }

    /// <summary>Newest first; <paramref name="tenants"/> null means every tenant (and platform-level feedback).</summary>
    public async Task<IReadOnlyList<FeedbackItem>> ListAsync(string? status, IReadOnlyCollection<Guid>? tenants, CancellationToken ct)
    {
        await using var scope = await db.OpenVisibleAsync(tenants, ct);
        await using var command = scope.Command(
            $"""
            SELECT {Columns} FROM feedback
            WHERE (@status::text IS NULL OR status = @status) AND (@all OR tenant_id = ANY(@tenants))
            ORDER BY created_at DESC LIMIT 500
            """);
        command.Parameters.AddWithValue("status", NpgsqlTypes.NpgsqlDbType.Text, (object?)status ?? DBNull.Value);
        command.Parameters.AddWithValue("all", tenants is null);
        command.Parameters.AddWithValue("tenants", (tenants ?? []).ToArray());
        return await ReadAsync(command, ct);
    }

    /// <summary>The item if it lies within <paramref name="tenants"/> (null: every tenant and platform-level feedback).</summary>
    public async Task<FeedbackItem?> FindAsync(Guid id, IReadOnlyCollection<Guid>? tenants, CancellationToken ct)
    {
        await using var scope = await db.OpenVisibleAsync(tenants, ct);
        await using var command = scope.Command($"SELECT {Columns} FROM feedback WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        return (await ReadAsync(command, ct)).FirstOrDefault();
    }

    /// <summary>Triages the item within the feedback's own scope: its tenant's, or the platform's for platform-level feedback.</summary>
    public async Task<FeedbackItem?> TriageAsync(FeedbackItem item, string status, string? note, CancellationToken ct)
    {
        await using var scope = await db.OpenOwnAsync(item.TenantId, ct);
        await using var command = scope.Command(
            $"UPDATE feedback SET status = @status, triage_note = @note, updated_at = now() WHERE id = @id RETURNING {Columns}");
        command.Parameters.AddWithValue("id", item.Id);
        command.Parameters.AddWithValue("status", status);
        command.Parameters.AddWithValue("note", (object?)note ?? DBNull.Value);
        return await scope.CommitAsync((await ReadAsync(command, ct)).FirstOrDefault(), ct);
    }

    private static async Task<List<FeedbackItem>> ReadAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var items = new List<FeedbackItem>();
        await using var r = await command.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            items.Add(new FeedbackItem(r.GetGuid(0), r.IsDBNull(1) ? null : r.GetGuid(1), r.GetGuid(2), r.GetString(3), r.GetString(4),
                r.GetString(5), r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7), r.GetString(8), r.IsDBNull(9) ? null : r.GetString(9),
                r.GetFieldValue<DateTimeOffset>(10), r.GetFieldValue<DateTimeOffset>(11)));
        }

        return items;
    }
}
