namespace AuditService.FunctionalTests;

/// <summary>A request value never starts a console line of its own: AuditService as a process, its real console output read.</summary>
public sealed class LogForgingTests(PostgresServer postgres)
{
    [Theory]
    [EveryEnvironment]
    public async Task ACrLfInAQueryValueCannotWriteAFakeLineIntoTheConsoleLog(string environment)
    {
        var database = await postgres.CreateDatabaseAsync($"forging_{environment.ToLowerInvariant()}");
        await using var service = new AuditServiceHost(database, SeededKey.Reader(AuditServiceFixture.PlatformReadKey))
        {
            Settings = new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = environment,
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Debug",
            },
        }.Process();
        await service.StartAsync();
        using var client = new HttpClient { BaseAddress = service.Url };
        client.DefaultRequestHeaders.Add("X-Api-Key", AuditServiceFixture.PlatformReadKey);

        const string Forged = "auditservice | crit: FORGED";
        foreach (var (path, status) in new[] { ("/api/v1/audit-events?from=", 400), ("/api/v1/audit-events?limit=", 400), ("/api/v1/audit-events?q=", 200) })
        {
            using var response = await client.GetAsync($"{path}x%0d%0a{Uri.EscapeDataString(Forged)}%0d%0a", Ct);
            Assert.Equal(status, (int)response.StatusCode);
        }

        await Task.Delay(500, Ct); // the console logger writes on its own thread
        var lines = service.Output.Split('\n');
        Assert.Contains(lines, l => l.Contains("FORGED", StringComparison.Ordinal)); // the requests were logged...
        Assert.DoesNotContain(lines, l => l.TrimStart().StartsWith(Forged, StringComparison.Ordinal)); // ...never as a line of their own
    }
}
