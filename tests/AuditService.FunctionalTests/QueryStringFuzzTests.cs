namespace AuditService.FunctionalTests;

/// <summary>Hostile query strings on every AuditService endpoint, in Development (what the AppHost runs) and Production: never a 5xx.</summary>
public sealed class QueryStringFuzzTests(PostgresServer postgres)
{
    private static readonly string AllPermissionsKey = ApiKeyFormat.New();
    [Theory]
    [EveryEnvironment]
    public async Task NoQueryStringOnAnyEndpointAnswersA5xxOrAnErrorThatIsNotAProblem(string environment)
    {
        var database = await postgres.CreateDatabaseAsync($"fuzz_{environment.ToLowerInvariant()}");
        await using var host = new InMemoryAuditService<Program>(new AuditServiceHost(database, SeededKey.Everything(AllPermissionsKey)), environment);
        using var client = host.WithKey(AllPermissionsKey);
        var tenant = Guid.CreateVersion7();
        (await client.PostAsJsonAsync("/api/v1/events", Enumerable.Range(0, 20).Select(_ => AuditServiceFixture.NewEvent(tenant)).ToArray(), Ct))
            .EnsureSuccessStatusCode();

        var targets = QueryStringFuzz.Targets(host.Services);
        var failures = await QueryStringFuzz.RunAsync(client, targets, Ct);

        Assert.Contains(targets, t => t.Path == "/api/v1/audit-events" && t.QueryNames.Contains("from") && t.QueryNames.Contains("q"));
        Assert.Contains(targets, t => t.Path == "/api/v1/integrity/verify" && t.Method == "POST");
        Assert.True(targets.Count >= 12, $"only {targets.Count} endpoints found");
        Assert.True(failures.Count == 0, $"{failures.Count} bad answers:\n{string.Join("\n", failures.Take(60))}");
    }
}
