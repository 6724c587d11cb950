using Npgsql;

namespace Api.Tenants;

public sealed class TenantStore(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, name, slug, plan, created_at";

    /// <summary>Creates the tenant, or answers null when the slug is taken.</summary>
    public async Task<Tenant?> TryCreateAsync(string name, string slug, string plan, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $"INSERT INTO tenants (id, name, slug, plan) VALUES (@id, @name, @slug, @plan) ON CONFLICT (slug) DO NOTHING RETURNING {Columns}");
        command.Parameters.AddWithValue("id", Guid.CreateVersion7());
        command.Parameters.AddWithValue("name", name);
        command.Parameters.AddWithValue("slug", slug);
        command.Parameters.AddWithValue("plan", plan);
        return await ReadOneAsync(command, ct);
    }

    public async Task<Tenant> CreateAsync(string name, string slug, string plan, CancellationToken ct) =>
        await TryCreateAsync(name, slug, plan, ct) ?? (await FindBySlugAsync(slug, ct))!;

    public async Task<Tenant?> FindBySlugAsync(string slug, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM tenants WHERE slug = @slug");
        command.Parameters.AddWithValue("slug", slug);
        return await ReadOneAsync(command, ct);
    }

    public async Task<IReadOnlyList<Tenant>> ListAsync(Guid? only, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM tenants WHERE @only::uuid IS NULL OR id = @only ORDER BY created_at");
        command.Parameters.AddWithValue("only", NpgsqlTypes.NpgsqlDbType.Uuid, (object?)only ?? DBNull.Value);
        var list = new List<Tenant>();
        await using var r = await command.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(Read(r));
        }

        return list;
    }

    private static async Task<Tenant?> ReadOneAsync(NpgsqlCommand command, CancellationToken ct)
    {
        await using var r = await command.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? Read(r) : null;
    }

    private static Tenant Read(NpgsqlDataReader r) =>
        new(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetFieldValue<DateTimeOffset>(4));
}
