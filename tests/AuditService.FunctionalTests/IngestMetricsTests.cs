namespace AuditService.FunctionalTests;

public sealed class IngestMetricsTests(AuditServiceFixture app) : IClassFixture<AuditServiceFixture>
{
    [Fact]
    public async Task AcceptedEventsAreCountedBySeverityAndCategoryOnTheScrape()
    {
        var warning = AuditServiceFixture.NewEvent(Guid.CreateVersion7(), "user.login_failed");
        warning.Severity = "warning";
        warning.Category = "activity";
        var info = AuditServiceFixture.NewEvent(Guid.CreateVersion7());

        var response = await app.Writer.PostAsJsonAsync("/api/v1/events", new[] { warning, info }, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        using var scraper = app.CreateClient();
        var scrape = await scraper.GetStringAsync("/metrics", Ct);
        var accepted = scrape.Split('\n').Where(l => l.StartsWith("audit_events_accepted_total{", StringComparison.Ordinal)).ToList();
        Assert.Contains(accepted, l => l.Contains("severity=\"warning\"") && l.Contains("category=\"activity\""));
        Assert.Contains(accepted, l => l.Contains("severity=\"info\"") && l.Contains("category=\"audit\""));
    }
}
