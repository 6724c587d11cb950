using Microsoft.AspNetCore.Mvc.Testing;

namespace AuditService.FunctionalTests;

/// <summary>415 for a body that is not JSON; 429 with Retry-After over the key's quota and when the write queue is full.</summary>
public sealed class PushBackTests(AuditServiceFixture app) : IClassFixture<AuditServiceFixture>
{
    [Fact]
    public async Task NonJsonBodyIs415WithProblemDetails()
    {
        var response = await app.Writer.PostAsync("/api/v1/events", new StringContent("id=1", Encoding.UTF8, "application/x-www-form-urlencoded"),
            Ct);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task OverTheKeysQuotaIs429WithRetryAfter()
    {
        // One event a second, bursts of ten: the first request of ten passes, the next is over.
        using var limited = app.WithWebHostBuilder(b => b.UseSetting("Ingest:EventsPerSecondPerKey", "1"));
        using var writer = Writer(limited);
        var tenant = Guid.CreateVersion7();

        var first = await writer.PostAsJsonAsync("/api/v1/events", Batch(tenant, 10), Ct);
        var second = await writer.PostAsJsonAsync("/api/v1/events", Batch(tenant, 10), Ct);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.True(second.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "Retry-After missing");
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task MoreThanTheWriteQueueHoldsIs429WithRetryAfter()
    {
        using var small = app.WithWebHostBuilder(b => b.UseSetting("Ingest:QueueCapacity", "100"));
        using var writer = Writer(small);

        var response = await writer.PostAsJsonAsync("/api/v1/events", Batch(Guid.CreateVersion7(), 150), Ct);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter?.Delta);
        Assert.Contains("queue", await response.Content.ReadAsStringAsync(Ct), StringComparison.OrdinalIgnoreCase);
    }

    private static HttpClient Writer(WebApplicationFactory<Program> factory)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", AuditServiceFixture.PlatformWriteKey);
        return client;
    }

    private static List<AuditEventDto> Batch(Guid tenant, int count) =>
        Enumerable.Range(0, count).Select(_ => AuditServiceFixture.NewEvent(tenant)).ToList();
}
