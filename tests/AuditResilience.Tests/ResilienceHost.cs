using Audit.Contracts;
using AuditService.Integrity;
using Npgsql;

namespace AuditResilience.Tests;

/// <summary>AuditService as a process over a test database, and what the tests check in that database.</summary>
public static class ResilienceHost
{
    private const string SigningKey = "resilience-tests-signing-key-0123456789";

    public static readonly string WriteKey = ApiKeyFormat.New();

    /// <summary>A platform read key: an operator, to whom /health names the failing check.</summary>
    public static readonly string OperatorKey = ApiKeyFormat.New();

    public static ServiceProcess Create(TestDatabase database) =>
        new AuditServiceHost(database, SeededKey.Writer(WriteKey), SeededKey.Reader(OperatorKey)) { SigningKey = SigningKey }.Process();

    /// <summary>Every stored event id with how many times it is stored (as the superuser, past RLS).</summary>
    public static async Task<Dictionary<Guid, int>> StoredIdsAsync(TestDatabase database)
    {
        // Unpooled: a test that restarts PostgreSQL would otherwise get a pooled connection the restart cut.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.Admin) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT event_id, count(*) FROM audit_events GROUP BY event_id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new Dictionary<Guid, int>();
        while (await reader.ReadAsync())
        {
            ids[reader.GetGuid(0)] = (int)reader.GetInt64(1);
        }

        return ids;
    }

    public static async Task<IReadOnlyList<ChainVerdict>> VerifyChainsAsync(TestDatabase database, IEnumerable<Guid> tenants)
    {
        await using var dataSource = NpgsqlDataSource.Create(database.App);
        var verifier = new ChainVerifier(new AuditService.Data.AuditDb(dataSource), new AuditService.Integrity.Signer(Microsoft.Extensions.Options.Options.Create(
            new AuditService.Integrity.IntegrityOptions { SigningKey = SigningKey })));
        var verdicts = new List<ChainVerdict>();
        foreach (var tenant in tenants)
        {
            verdicts.Add(await verifier.VerifyAsync(tenant, CancellationToken.None));
        }

        return verdicts;
    }
}
