using System.Text.Json;

namespace Api.Tenants;

/// <summary>Tenants, read and written within the unit of work the caller opened (its scope decides what is visible).</summary>
public sealed class TenantStore(Microsoft.Extensions.Options.IOptions<PlansOptions> plans)
{
    private const string Columns = "id, name, slug, plan, created_at";

    private const string SummarySql =
        """
        SELECT t.id, t.name, t.slug, t.plan, t.settings::text, t.created_at,
               (SELECT count(*) FROM users u WHERE u.tenant_id = t.id),
               (SELECT max(u.last_sign_in_at) FROM users u WHERE u.tenant_id = t.id)
        FROM tenants t
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Creates the tenant, or answers null when the slug is taken (the slug's unique index sees every tenant regardless of scope).</summary>
    public async Task<Tenant?> TryCreateAsync(DbScope db, string name, string slug, string plan, CancellationToken ct)
    {
        await using var command = db.Command(
            $"INSERT INTO tenants (id, name, slug, plan) VALUES (@id, @name, @slug, @plan) ON CONFLICT (slug) DO NOTHING RETURNING {Columns}");
        command.Parameters.AddWithValue("id", Guid.CreateVersion7());
        command.Parameters.AddWithValue("name", name);
        command.Parameters.AddWithValue("slug", slug);
        command.Parameters.AddWithValue("plan", plan);
        await using var r = await command.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? Read(r) : null;
    }

    /// <summary>Start-up seeding: the tenant with the slug, created if it does not exist.</summary>
    public async Task<Tenant> CreateAsync(DbScope db, string name, string slug, string plan, CancellationToken ct) =>
        await TryCreateAsync(db, name, slug, plan, ct) ?? (await FindBySlugAsync(db, slug, ct))!;

    public async Task<Tenant?> FindBySlugAsync(DbScope db, string slug, CancellationToken ct)
    {
        await using var command = db.Command($"SELECT {Columns} FROM tenants WHERE slug = @slug");
        command.Parameters.AddWithValue("slug", slug);
        await using var r = await command.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? Read(r) : null;
    }

    /// <summary>Summaries of every tenant in the unit's scope.</summary>
    public async Task<IReadOnlyList<TenantSummary>> ListAsync(DbScope db, CancellationToken ct)
    {
        await using var command = db.Command($"{SummarySql} WHERE @all OR t.id = ANY(@tenants) ORDER BY t.created_at");
        db.AddTenantFilter(command.Parameters);
        return await command.ReadListAsync(r => ReadSummary(r), ct);
    }

    public async Task<TenantSummary?> FindAsync(DbScope db, Guid id, CancellationToken ct)
    {
        await using var command = db.Command($"{SummarySql} WHERE t.id = @id");
        command.Parameters.AddWithValue("id", id);
        await using var r = await command.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? ReadSummary(r) : null;
    }

    /// <summary>Sets the plan; answers the previous one, or null when there is no such tenant.</summary>
    public async Task<string?> ChangePlanAsync(DbScope db, Guid id, string plan, CancellationToken ct)
    {
        await using var command = db.Command(
            """
            WITH old AS (SELECT id, plan FROM tenants WHERE id = @id FOR UPDATE)
            UPDATE tenants t SET plan = @plan FROM old WHERE t.id = old.id RETURNING old.plan
            """);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("plan", plan);
        return await command.ExecuteScalarAsync(ct) as string;
    }

    /// <summary>
    /// Replaces the settings and reads the tenant back, in one round trip that commits both or neither; answers the
    /// previous settings and the tenant after, or null when there is no such tenant.
    /// </summary>
    public async Task<(TenantSettings Before, TenantSummary After)?> ChangeSettingsAsync(DbScope db, Guid id, TenantSettings settings, CancellationToken ct)
    {
        await using var batch = db.Batch();
        var update = new NpgsqlBatchCommand(
            """
            WITH old AS (SELECT id, settings FROM tenants WHERE id = @id FOR UPDATE)
            UPDATE tenants t SET settings = @settings::jsonb FROM old WHERE t.id = old.id RETURNING old.settings::text
            """);
        update.Parameters.AddWithValue("id", id);
        update.Parameters.AddWithValue("settings", JsonSerializer.Serialize(settings, Json));
        var read = new NpgsqlBatchCommand($"{SummarySql} WHERE t.id = @id");
        read.Parameters.AddWithValue("id", id);
        batch.BatchCommands.Add(update);
        batch.BatchCommands.Add(read);
        await using var r = await batch.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct))
        {
            return null;
        }

        var before = ParseSettings(r.GetString(0));
        await r.NextResultAsync(ct);
        return await r.ReadAsync(ct) ? (before, ReadSummary(r)) : null;
    }

    private TenantSummary ReadSummary(NpgsqlDataReader r)
    {
        var plan = r.GetString(3);
        return new TenantSummary(r.GetGuid(0), r.GetString(1), r.GetString(2), plan, plans.Value.MonthlyBudgetUsd(plan),
            ParseSettings(r.GetString(4)), (int)r.GetInt64(6), r.IsDBNull(7) ? null : r.GetFieldValue<DateTimeOffset>(7),
            r.GetFieldValue<DateTimeOffset>(5));
    }

    private static TenantSettings ParseSettings(string json) => JsonSerializer.Deserialize<TenantSettings>(json, Json) ?? new TenantSettings();

    private static Tenant Read(NpgsqlDataReader r) =>
        new(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetFieldValue<DateTimeOffset>(4));
}
