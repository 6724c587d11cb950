namespace Api.Mail;

/// <summary>One mail waiting in mail_outbox; <see cref="Attempts"/> counts this one.</summary>
public sealed record OutboxMail(Guid Id, string To, string Subject, string Body, DateTimeOffset CreatedAt, int Attempts);

/// <summary>
/// The outbox as the sender sees it. Platform scope: the sender works for every tenant's mail. A claimed mail is due
/// again after <see cref="Lease"/> unless marked, so a process that dies mid-send leaves it to be sent again, not lost.
/// </summary>
public sealed class MailOutbox(AppDb db)
{
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    public async Task<IReadOnlyList<OutboxMail>> ClaimDueAsync(int limit, CancellationToken ct)
    {
        await using var scope = await db.OpenAsync(TenantScope.Platform, ct);
        await using var command = scope.Command("""
            UPDATE mail_outbox SET next_attempt_at = now() + @lease, attempts = attempts + 1
            WHERE id IN (SELECT id FROM mail_outbox WHERE sent_at IS NULL AND next_attempt_at <= now()
                         ORDER BY next_attempt_at LIMIT @limit FOR UPDATE SKIP LOCKED)
            RETURNING id, to_address, subject, body, created_at, attempts
            """);
        command.Parameters.AddWithValue("lease", Lease);
        command.Parameters.AddWithValue("limit", limit);
        return await command.ReadListAsync(
            r => new OutboxMail(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetFieldValue<DateTimeOffset>(4), r.GetInt32(5)), ct);
    }

    public async Task<OutboxBacklog> BacklogAsync(CancellationToken ct)
    {
        await using var scope = await db.OpenAsync(TenantScope.Platform, ct);
        await using var command = scope.Command("SELECT count(*), min(created_at) FROM mail_outbox WHERE sent_at IS NULL");
        await using var r = await command.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        return new OutboxBacklog(r.GetInt64(0), r.IsDBNull(1) ? null : r.GetFieldValue<DateTimeOffset>(1));
    }

    public Task MarkSentAsync(Guid id, CancellationToken ct) =>
        UpdateAsync(id, "UPDATE mail_outbox SET sent_at = now(), last_error = NULL WHERE id = @id", null, null, ct);

    public Task MarkFailedAsync(Guid id, string error, TimeSpan retryIn, CancellationToken ct) =>
        UpdateAsync(id, "UPDATE mail_outbox SET last_error = @error, next_attempt_at = now() + @retry WHERE id = @id", error, retryIn, ct);

    private async Task UpdateAsync(Guid id, string sql, string? error, TimeSpan? retryIn, CancellationToken ct)
    {
        await using var scope = await db.OpenAsync(TenantScope.Platform, ct);
        await using var command = scope.Command(sql);
        command.Parameters.AddWithValue("id", id);
        if (error is not null)
        {
            command.Parameters.AddWithValue("error", error.Length > 2000 ? error[..2000] : error);
            command.Parameters.AddWithValue("retry", retryIn!.Value);
        }

        await command.ExecuteNonQueryAsync(ct);
    }
}
