namespace Api.Feedback;

public sealed class FeedbackStore
{
    private const string Columns = "id, tenant_id, user_id, user_email, kind, priority, message, page, status, triage_note, created_at, updated_at";

    /// <summary>Feedback of a user without a tenant (super admin, support) is platform-level: only the platform scope writes it.</summary>
    public async Task<FeedbackItem> CreateAsync(DbScope db, Guid? tenantId, Guid userId, string email, string kind, string priority, string message, string? page,
        CancellationToken ct)
    {
        await using var command = db.Command(
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
        return (await ReadAsync(command, ct))[0];
    }

    /// <summary>Newest first, within the unit's scope (the platform scope: platform-level feedback too).</summary>
    public async Task<IReadOnlyList<FeedbackItem>> ListAsync(DbScope db, string? status, CancellationToken ct)
    {
        await using var command = db.Command(
            $"""
            SELECT {Columns} FROM feedback
            WHERE (@status::text IS NULL OR status = @status) AND (@all OR tenant_id = ANY(@tenants))
            ORDER BY created_at DESC LIMIT 500
            """);
        command.Parameters.AddWithValue("status", NpgsqlTypes.NpgsqlDbType.Text, (object?)status ?? DBNull.Value);
        db.AddTenantFilter(command.Parameters);
        return await ReadAsync(command, ct);
    }

    public async Task<FeedbackItem?> FindAsync(DbScope db, Guid id, CancellationToken ct)
    {
        await using var command = db.Command($"SELECT {Columns} FROM feedback WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        return (await ReadAsync(command, ct)).FirstOrDefault();
    }

    public async Task<FeedbackItem?> TriageAsync(DbScope db, FeedbackItem item, string status, string? note, CancellationToken ct)
    {
        await using var command = db.Command(
            $"UPDATE feedback SET status = @status, triage_note = @note, updated_at = now() WHERE id = @id RETURNING {Columns}");
        command.Parameters.AddWithValue("id", item.Id);
        command.Parameters.AddWithValue("status", status);
        command.Parameters.AddWithValue("note", (object?)note ?? DBNull.Value);
        return (await ReadAsync(command, ct)).FirstOrDefault();
    }

    private static async Task<List<FeedbackItem>> ReadAsync(NpgsqlCommand command, CancellationToken ct)
    {
        return await command.ReadListAsync(
            r => new FeedbackItem(r.GetGuid(0), r.IsDBNull(1) ? null : r.GetGuid(1), r.GetGuid(2), r.GetString(3), r.GetString(4),
                r.GetString(5), r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7), r.GetString(8), r.IsDBNull(9) ? null : r.GetString(9),
                r.GetFieldValue<DateTimeOffset>(10), r.GetFieldValue<DateTimeOffset>(11)), ct);
    }
}
