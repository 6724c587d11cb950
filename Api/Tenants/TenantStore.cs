using System.Text.Json;
using Npgsql;

namespace Api.Tenants;

public sealed class TenantStore(NpgsqlDataSource dataSource, Microsoft.Extensions.Options.IOptions<PlansOptions> plans)
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
        await using var command = dataSource.CreateCommand(
            $"INSERT INTO tenants (id, name, slug, plan) VALUES (@id, @name, @slug, @plan) ON CONFLICT (slug) DO NOTHING RETURNING {Columns}");
        command.Parameters.AddWithValue("id", Guid.CreateVersion7());
        command.Parameters.AddWithValue("name", name);
        command.Parameters.AddWithValue("slug", slug);
        command.Parameters.AddWithValue("plan", plan);
        await using var r = await command.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? Read(r) : null;
    }

    public async Task<Tenant> CreateAsync(string name, string slug, string plan, CancellationToken ct) =>
        await TryCreateAsync(name, slug, plan, ct) ?? (await FindBySlugAsync(slug, ct))!;

    public async Task<Tenant?> FindBySlugAsync(string slug, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM tenants WHERE slug = @slug");
        command.Parameters.AddWithValue("slug", slug);
        await using var r = await command.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? Read(r) : null;
    }

    /// <summary>Summaries of the given tenants, or of all when null.</summary>
    public async Task<IReadOnlyList<TenantSummary>> ListAsync(IReadOnlyCollection<Guid>? only, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"{SummarySql} WHERE @only::uuid[] IS NULL OR t.id = ANY(@only) ORDER BY t.created_at");
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
        await using var command = dataSource.CreateCommand(
            """
            WITH old AS (SELECT id, plan FROM tenants WHERE id = @id FOR UPDATE)
            UPDATE tenants t SET plan = @plan FROM old WHERE t.id = old.id RETURNING old.plan
            """);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("plan", plan);
        return await command.ExecuteScalarAsync(ct) as string;
    }

    /// <summary>Replaces the settings; answers the previous ones, or null when there is no such tenant.</summary>
    public async Task<TenantSettings?> ChangeSettingsAsync(Guid id, TenantSettings settings, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            """
            WITH old AS (SELECT id, settings FROM tenants WHERE id = @id FOR UPDATE)
            UPDATE tenants t SET settings = @settings::jsonb FROM old WHERE t.id = old.id RETURNING old.settings::text
            """);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("settings", JsonSerializer.Serialize(settings, Json));
        return await command.ExecuteScalarAsync(ct) is string old ? ParseSettings(old) : null;
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
