using System.Text.Json;

namespace Api.Alerts;

/// <summary>
/// Notifications and who read them. A reader's unit of work is their own scope (TenantScope.OwnedBy): a tenant admin's
/// tenant, or the platform for super admins, who see every notification. Row-level security keeps tenants apart.
/// </summary>
public sealed class NotificationStore(AppDb db)
{
    /// <summary>
    /// Stores the alert in the state it arrived in; answers the new row's id and the tenant it names (by slug), or null
    /// when this alert was already stored in this state (Alertmanager repeats and resends).
    /// </summary>
    public async Task<(Guid Id, Guid? TenantId)?> TryAddAsync(ReceivedAlert alert, CancellationToken ct)
    {
        // Platform scope: alerts come from the platform's monitoring, and one may name any tenant.
        await using var scope = await db.OpenAsync(TenantScope.Platform, ct);
        await using var command = scope.Command(
            """
            INSERT INTO notifications (id, tenant_id, alert_name, fingerprint, status, severity, summary, description, labels, starts_at, ends_at)
            VALUES (@id, (SELECT id FROM tenants WHERE slug = @slug), @name, @fingerprint, @status, @severity, @summary, @description,
                    @labels::jsonb, @starts, @ends)
            ON CONFLICT (fingerprint, status, starts_at) DO NOTHING
            RETURNING id, tenant_id
            """);
        command.Parameters.AddWithValue("id", Guid.CreateVersion7());
        command.Parameters.AddWithValue("slug", NpgsqlTypes.NpgsqlDbType.Text, (object?)alert.TenantSlug ?? DBNull.Value);
        command.Parameters.AddWithValue("name", alert.Name);
        command.Parameters.AddWithValue("fingerprint", alert.Fingerprint);
        command.Parameters.AddWithValue("status", alert.Status);
        command.Parameters.AddWithValue("severity", alert.Severity);
        command.Parameters.AddWithValue("summary", alert.Summary);
        command.Parameters.AddWithValue("description", NpgsqlTypes.NpgsqlDbType.Text, (object?)alert.Description ?? DBNull.Value);
        command.Parameters.AddWithValue("labels", JsonSerializer.Serialize(alert.Labels));
        command.Parameters.AddWithValue("starts", alert.StartsAt);
        command.Parameters.AddWithValue("ends", NpgsqlTypes.NpgsqlDbType.TimestampTz, (object?)alert.EndsAt ?? DBNull.Value);
        (Guid, Guid?)? added = null;
        await using (var r = await command.ExecuteReaderAsync(ct))
        {
            if (await r.ReadAsync(ct))
            {
                added = (r.GetGuid(0), r.IsDBNull(1) ? null : r.GetGuid(1));
            }
        }

        return await scope.CommitAsync(added, ct);
    }

    /// <summary>The newest <paramref name="limit"/> notifications in the reader's scope, with the unread count of all of them.</summary>
    public async Task<NotificationList> ListAsync(Guid userId, Guid? tenantId, int limit, CancellationToken ct)
    {
        await using var scope = await db.OpenAsync(TenantScope.OwnedBy(tenantId), ct);
        // The window count runs before LIMIT: the unread count covers every notification, not only the page.
        await using var command = scope.Command(
            """
            SELECT n.id, n.tenant_id, n.alert_name, n.status, n.severity, n.summary, n.description, n.starts_at, n.ends_at, n.created_at,
                   r.user_id IS NOT NULL, count(*) FILTER (WHERE r.user_id IS NULL) OVER ()
            FROM notifications n LEFT JOIN notification_reads r ON r.notification_id = n.id AND r.user_id = @user
            WHERE @tenant::uuid IS NULL OR n.tenant_id = @tenant
            ORDER BY n.created_at DESC, n.id DESC
            LIMIT @limit
            """);
        command.Parameters.AddWithValue("user", userId);
        command.Parameters.AddWithValue("tenant", NpgsqlTypes.NpgsqlDbType.Uuid, (object?)tenantId ?? DBNull.Value);
        command.Parameters.AddWithValue("limit", limit);
        var items = new List<Notification>();
        var unread = 0L;
        await using var r = await command.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            items.Add(new Notification(r.GetGuid(0), r.IsDBNull(1) ? null : r.GetGuid(1), r.GetString(2), r.GetString(3), r.GetString(4),
                r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6), r.GetFieldValue<DateTimeOffset>(7),
                r.IsDBNull(8) ? null : r.GetFieldValue<DateTimeOffset>(8), r.GetFieldValue<DateTimeOffset>(9), r.GetBoolean(10)));
            unread = r.GetInt64(11);
        }

        return new NotificationList((int)unread, items);
    }

    /// <summary>Marks one notification (or, with no id, every one in scope) read; false when the id is not in the reader's scope.</summary>
    public async Task<bool> MarkReadAsync(Guid userId, Guid? tenantId, Guid? id, CancellationToken ct)
    {
        await using var scope = await db.OpenAsync(TenantScope.OwnedBy(tenantId), ct);
        await using var command = scope.Command(
            """
            WITH chosen AS (
                SELECT id, tenant_id FROM notifications
                WHERE (@id::uuid IS NULL OR id = @id) AND (@tenant::uuid IS NULL OR tenant_id = @tenant)),
            marked AS (
                INSERT INTO notification_reads (notification_id, user_id, tenant_id)
                SELECT id, @user, tenant_id FROM chosen
                ON CONFLICT DO NOTHING)
            SELECT count(*) FROM chosen
            """);
        command.Parameters.AddWithValue("id", NpgsqlTypes.NpgsqlDbType.Uuid, (object?)id ?? DBNull.Value);
        command.Parameters.AddWithValue("tenant", NpgsqlTypes.NpgsqlDbType.Uuid, (object?)tenantId ?? DBNull.Value);
        command.Parameters.AddWithValue("user", userId);
        var found = (long)(await command.ExecuteScalarAsync(ct))!;
        await scope.CommitAsync(ct);
        return id is null || found > 0;
    }
}
