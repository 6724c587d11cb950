using System.Text.Json;
using Api.Data;
using Npgsql;

namespace Api.Tenants;

public sealed class TenantStore(AppDb db, Microsoft.Extensions.Options.IOptions<PlansOptions> plans)
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

    /// <summary>Creates the tenant, or answers null when the slug is taken.</summary>
    public async Task<Tenant?> TryCreateAsync(string name, string slug, string plan, CancellationToken ct)
    {
        // The new tenant's own scope is enough: the slug's unique index sees every tenant regardless.
        var id = Guid.CreateVersion7();
        await using var scope = await db.OpenTenantAsync(id, ct);
        await using var command = scope.Command(
            $"INSERT INTO tenants (id, name, slug, plan) VALUES (@id, @name, @slug, @plan) ON CONFLICT (slug) DO NOTHING RETURNING {Columns}");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("name", name);
        command.Parameters.AddWithValue("slug", slug);
        command.Parameters.AddWithValue("plan", plan);
        Tenant? created = null;
        await using (var r = await command.ExecuteReaderAsync(ct))
        {
            created = await r.ReadAsync(ct) ? Read(r) : null;
        }

        await scope.CommitAsync(ct);
        return created;
    }

    public async Task<Tenant> CreateAsync(string name, string slug, string plan, CancellationToken ct) =>
        await TryCreateAsync(name, slug, plan, ct) ?? (await FindBySlugAsync(slug, ct))!;

    /// <summary>Start-up seeding only: a slug names any tenant, so this looks in the platform scope.</summary>
    public async Task<Tenant?> FindBySlugAsync(string slug, CancellationToken ct)
    {
        await using var scope = await db.OpenPlatformAsync(ct);
        await using var command = scope.Command($"SELECT {Columns} FROM tenants WHERE slug = @slug");
        command.Parameters.AddWithValue("slug", slug);
        await using var r = await command.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? Read(r) : null;
    }

    /// <summary>Summaries of the given tenants, or of all when null.</summary>
    public async Task<IReadOnlyList<TenantSummary>> ListAsync(IReadOnlyCollection<Guid>? only, CancellationToken ct)
    {
        await using var scope = await db.OpenVisibleAsync(only, ct);
        await using var command = scope.Command($"{SummarySql} WHERE @only::uuid[] IS NULL OR t.id = ANY(@only) ORDER BY t.created_at");
        command.Parameters.AddWithValue("only", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Uuid, (object?)only?.ToArray() ?? DBNull.Value);
        var list = new List<TenantSummary>();
        await using var r = await command.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(ReadSummary(r));
        }

        return list;
    }

    public async Task<TenantSummary?> FindAsync(Guid id, CancellationToken ct) => (await ListAsync([id], ct)).SingleOrDefault();

    /// <summary>Sets the plan; answers the previous one, or null when there is no such tenant.</summary>
    public async Task<string?> ChangePlanAsync(Guid id, string plan, CancellationToken ct)
    {
        await using var scope = await db.OpenTenantAsync(id, ct);
        await using var command = scope.Command(
            """
            WITH old AS (SELECT id, plan FROM tenants WHERE id = @id FOR UPDATE)
            UPDATE tenants t SET plan = @plan FROM old WHERE t.id = old.id RETURNING old.plan
            """);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("plan", plan);
        return await scope.CommitAsync(await command.ExecuteScalarAsync(ct) as string, ct);
    }

    /// <summary>Replaces the settings; answers the previous ones, or null when there is no such tenant.</summary>
    public async Task<TenantSettings?> ChangeSettingsAsync(Guid id, TenantSettings settings, CancellationToken ct)
    {
        await using var scope = await db.OpenTenantAsync(id, ct);
        await using var command = scope.Command(
            """
            WITH old AS (SELECT id, settings FROM tenants WHERE id = @id FOR UPDATE)
            UPDATE tenants t SET settings = @settings::jsonb FROM old WHERE t.id = old.id RETURNING old.settings::text
            """);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("settings", JsonSerializer.Serialize(settings, Json));
        var old = await command.ExecuteScalarAsync(ct) as string;
        await scope.CommitAsync(ct);
        return old is null ? null : ParseSettings(old);
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
