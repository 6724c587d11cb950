using System.Runtime.CompilerServices;
using System.Text;

namespace AuditService.Queries;

/// <summary>
/// Reads the log for one reader: the scope from the token becomes both a WHERE clause and the
/// transaction's row-level security setting, so either alone keeps other tenants' rows out.
/// </summary>
public sealed class AuditQueryReader(AuditDb db, TraceLinkBuilder links)
{
    public const string Columns =
        """
        event_id, tenant_id, seq, occurred_at, recorded_at, actor_type, actor_id, actor_name, actor_email,
        action, category, severity, resource_type, resource_id, resource_name, description,
        before_state::text, after_state::text, metadata::text, error_message, error_stack,
        host(ip_address), user_agent, trace_id, span_id, source_service, encode(hash, 'hex'), encode(prev_hash, 'hex')
        """;

    /// <summary>
    /// Planner settings for the page query, local to its transaction. The row-level security qualifier makes PostgreSQL
    /// expect a handful of rows per partition, so it picks bitmap scans of the tenant's whole history and a sort, which
    /// grows with the tenant (98 ms for a 10,000-event tenant, against 0.8 ms for an ordered index scan per partition
    /// that stops at the page's end). Without bitmap scans it takes the ordered scan; a sort stays allowed, so a
    /// selective filter (a resource, an actor) still uses its own index. Planning across every monthly × category
    /// partition and its indexes costs more than running that plan, and PostgreSQL keeps re-planning it by itself, so
    /// the page takes the prepared statement's generic plan (Npgsql prepares it, <see cref="PostgresPlanCaching"/>), which
    /// still prunes the months outside a time filter when it runs ("Subplans Removed").
    /// </summary>
    public const string PageSettings =
        "SELECT set_config('enable_bitmapscan', 'off', true), set_config('plan_cache_mode', 'force_generic_plan', true)";

    public async Task<AuditEntryPage> PageAsync(ReaderScope reader, AuditQuery query, CancellationToken ct)
    {
        var scope = reader.Narrow(query.Tenant);
        if (scope.SeesNothing)
        {
            return new AuditEntryPage([], null);
        }

        // The tenant scope, the planner settings and the page in one round trip and one implicit transaction.
        await using var unit = await db.OpenAsync(scope, ct);
        await using var batch = unit.Batch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand(PageSettings));
        var select = new NpgsqlBatchCommand();
        select.CommandText = SelectText(select.Parameters, reader, scope, query, query.Limit + 1);
        batch.BatchCommands.Add(select);
        var items = new List<AuditEntry>(query.Limit + 1);
        await using (var r = await batch.ExecuteReaderAsync(ct))
        {
            await r.NextResultAsync(ct); // past the settings' row
            while (await r.ReadAsync(ct))
            {
                items.Add(Read(r));
            }
        }

        string? next = null;
        if (items.Count > query.Limit)
        {
            items.RemoveAt(items.Count - 1);
            var last = items[^1];
            next = new PageCursor(last.OccurredAt, last.Seq, last.TenantId).ToString();
        }

        return new AuditEntryPage(items, next);
    }

    public async Task<AuditEntry?> FindAsync(ReaderScope reader, Guid id, CancellationToken ct)
    {
        if (reader.Scope.SeesNothing)
        {
            return null;
        }

        await using var unit = await db.OpenAsync(reader.Scope, ct);
        // The id ledger names the row exactly (tenant, seq, month, category), so one partition is read, chosen as the
        // statement runs; the log itself has no index on the event id.
        var filter = new StringBuilder("tenant_id = i.tenant_id AND seq = i.seq AND occurred_at = i.occurred_at AND category = i.category");
        await using var batch = unit.Batch();
        var select = new NpgsqlBatchCommand();
        select.Parameters.AddWithValue("id", id);
        AddScope(filter, select.Parameters, reader, reader.Scope);
        select.CommandText = $"SELECT e.* FROM audit_event_ids i CROSS JOIN LATERAL (SELECT {Columns} FROM audit_events WHERE {filter}) e WHERE i.event_id = @id LIMIT 1";
        batch.BatchCommands.Add(select);
        AuditEntry? entry = null;
        await using (var r = await batch.ExecuteReaderAsync(ct))
        {
            if (await r.ReadAsync(ct))
            {
                entry = Read(r);
            }
        }

        return entry;
    }

    /// <summary>
    /// Every row of the filtered set, newest first, as it is read (never held whole in memory): the reader is
    /// positioned on each row in turn, columns as in <see cref="Columns"/>, for the export to write straight out.
    /// </summary>
    public async IAsyncEnumerable<NpgsqlDataReader> StreamRowsAsync(ReaderScope reader, AuditQuery query, [EnumeratorCancellation] CancellationToken ct)
    {
        var scope = reader.Narrow(query.Tenant);
        if (scope.SeesNothing)
        {
            yield break;
        }

        await using var unit = await db.OpenAsync(scope, ct);
        await unit.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        await using var batch = unit.Batch();
        var select = new NpgsqlBatchCommand();
        select.CommandText = SelectText(select.Parameters, reader, scope, query, limit: null);
        batch.BatchCommands.Add(select);
        await using (var r = await batch.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                yield return r;
            }
        }

        await unit.CommitAsync(ct);
    }

    public async Task<AuditStats> StatsAsync(ReaderScope reader, AuditQuery query, DateTimeOffset now, CancellationToken ct)
    {
        var to = query.To ?? now;
        var from = query.From ?? to - TimeSpan.FromHours(24);
        var window = query with { From = from, To = to, Cursor = null };
        var scope = reader.Narrow(query.Tenant);
        var bySeverity = AuditVocabulary.Severities.ToDictionary(s => s, _ => 0L);
        if (scope.SeesNothing)
        {
            return new AuditStats(from, to, 0, bySeverity, [], [], 0);
        }

        // One pass over the window for all three counts (grouping sets), in one round trip with the tenant scope: the
        // summary on the audit page asks this on every load, over every tenant's last day for support and super admins.
        await using var unit = await db.OpenAsync(scope, ct);
        await using var batch = unit.Batch();
        var select = new NpgsqlBatchCommand();
        select.CommandText = StatsText(Where(select.Parameters, reader, scope, window));
        batch.BatchCommands.Add(select);
        List<CountBy> actions = [], actors = [];
        await using (var r = await batch.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                var count = r.GetInt64(3);
                if (!r.IsDBNull(0))
                {
                    bySeverity[r.GetString(0)] = count;
                }
                else if (!r.IsDBNull(1))
                {
                    actions.Add(new CountBy(r.GetString(1), count));
                }
                else
                {
                    actors.Add(new CountBy(r.GetString(2), count, r.IsDBNull(4) ? null : r.GetString(4)));
                }
            }
        }

        return new AuditStats(from, to, bySeverity.Values.Sum(), bySeverity, Top(actions), Top(actors), actors.Count);
    }

    /// <summary>Counts by severity, action and actor (with a name it was recorded under) over the filtered rows: one row per key.</summary>
    public static string StatsText(string where) => $"""
        SELECT severity, action, actor_id, count(*), max(actor_name) FROM audit_events
        WHERE {where}
        GROUP BY GROUPING SETS ((severity), (action), (actor_id))
        """;

    /// <summary>The ten largest counts, ties in key order.</summary>
    private static List<CountBy> Top(List<CountBy> counts) =>
        [.. counts.OrderByDescending(c => c.Count).ThenBy(c => c.Key, StringComparer.Ordinal).Take(10)];

    private static string SelectText(NpgsqlParameterCollection parameters, ReaderScope reader, TenantScope scope, AuditQuery query, int? limit) =>
        $"SELECT {Columns} FROM audit_events WHERE {Where(parameters, reader, scope, query)} ORDER BY occurred_at DESC, seq DESC, tenant_id DESC"
            + (limit is { } n ? $" LIMIT {n}" : "");

    /// <summary>The filters as SQL with parameters; only fixed text is ever spliced in.</summary>
    public static string Where(NpgsqlParameterCollection parameters, ReaderScope reader, TenantScope scope, AuditQuery q)
    {
        var sql = new StringBuilder("true");
        AddScope(sql, parameters, reader, scope);
        void Add(string clause, string name, object value)
        {
            sql.Append(" AND ").Append(clause);
            parameters.AddWithValue(name, value);
        }

        if (q.Actor is { } actor) { Add("actor_id = @actor", "actor", actor); }
        if (q.ActorTypes is { } actorTypes) { Add("actor_type = ANY(@actor_types)", "actor_types", actorTypes.ToArray()); }
        if (q.Action is { } action)
        {
            if (q.ActionIsPrefix) { Add(@"action LIKE @action ESCAPE '\'", "action", Like(action) + "%"); }
            else { Add("action = @action", "action", action); }
        }

        if (q.Category is { } category) { Add("category = @category", "category", category); }
        if (q.Severities is { } severities) { Add("severity = ANY(@severities)", "severities", severities.ToArray()); }
        if (q.ResourceType is { } type) { Add("resource_type = @rtype", "rtype", type); }
        if (q.ResourceId is { } rid) { Add("resource_id = @rid", "rid", rid); }
        if (q.From is { } from) { Add("occurred_at >= @from", "from", from); }
        if (q.To is { } to) { Add("occurred_at < @to", "to", to); }
        if (q.Text is { } text) { Add(@"description ILIKE @text ESCAPE '\'", "text", "%" + Like(text) + "%"); }
        if (q.Cursor is { } c)
        {
            // Within one tenant (occurred_at, seq) is unique, which keeps the tenant's own index usable.
            sql.Append(scope.Tenants is { Count: 1 }
                ? " AND (occurred_at, seq) < (@c_at, @c_seq)"
                : " AND (occurred_at, seq, tenant_id) < (@c_at, @c_seq, @c_tenant)");
            parameters.AddWithValue("c_at", c.OccurredAt);
            parameters.AddWithValue("c_seq", c.Seq);
            parameters.AddWithValue("c_tenant", c.Tenant);
        }

        return sql.ToString();
    }

    private static void AddScope(StringBuilder sql, NpgsqlParameterCollection parameters, ReaderScope reader, TenantScope scope)
    {
        if (!scope.AllTenants)
        {
            var tenants = scope.Tenants;
            sql.Append(tenants.Count == 1 ? " AND tenant_id = @tenant" : " AND tenant_id = ANY(@tenants)");
            parameters.AddWithValue(tenants.Count == 1 ? "tenant" : "tenants", tenants.Count == 1 ? tenants[0] : tenants.ToArray());
        }

        if (reader.OwnActorId is { } own)
        {
            sql.Append(" AND actor_id = @own_actor");
            parameters.AddWithValue("own_actor", own);
        }
    }

    private static string Like(string value) => value.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_");

    private AuditEntry Read(NpgsqlDataReader r)
    {
        string? S(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        JsonElement? J(int i) => r.IsDBNull(i) ? null : JsonDocument.Parse(r.GetString(i)).RootElement.Clone();
        var resource = S(AuditColumn.ResourceType) is null ? null
            : new ResourceDto { Type = S(AuditColumn.ResourceType), Id = S(AuditColumn.ResourceId), Name = S(AuditColumn.ResourceName) };
        var error = S(AuditColumn.ErrorMessage) is null ? null
            : new ErrorDto { Message = S(AuditColumn.ErrorMessage), Stack = S(AuditColumn.ErrorStack) };
        var occurredAt = r.GetFieldValue<DateTimeOffset>(AuditColumn.OccurredAt);
        var traceId = S(AuditColumn.TraceId);
        return new AuditEntry(
            r.GetGuid(AuditColumn.Id), r.GetGuid(AuditColumn.TenantId), r.GetInt64(AuditColumn.Seq), occurredAt,
            r.GetFieldValue<DateTimeOffset>(AuditColumn.RecordedAt),
            new ActorDto { Type = r.GetString(AuditColumn.ActorType), Id = r.GetString(AuditColumn.ActorId), Name = S(AuditColumn.ActorName), Email = S(AuditColumn.ActorEmail) },
            r.GetString(AuditColumn.Action), r.GetString(AuditColumn.Category), r.GetString(AuditColumn.Severity), resource,
            S(AuditColumn.Description), J(AuditColumn.Before), J(AuditColumn.After), J(AuditColumn.Metadata), error,
            S(AuditColumn.IpAddress), S(AuditColumn.UserAgent), traceId, S(AuditColumn.SpanId), S(AuditColumn.SourceService),
            links.HasLinks(traceId) ? new TraceLinks(links.Trace(traceId, occurredAt)!, links.Logs(traceId, occurredAt)!, links.Viewer) : null,
            r.GetString(AuditColumn.Hash), r.GetString(AuditColumn.PrevHash));
    }
}
