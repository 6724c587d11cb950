using Microsoft.AspNetCore.Hosting;

namespace Api.FunctionalTests;

public sealed class RateLimitTests(ApiFixture api)
{
    [Theory]
    [InlineData("/api/auth/sign-in")]
    [InlineData("/api/auth/sign-up")]
    [InlineData("/api/auth/refresh")]
    public async Task IdentityEndpointsAreRateLimitedPerAddressAndEndpoint(string path)
    {
        await using var limited = api.WithWebHostBuilder(b => b.UseSetting("RateLimits:Auth:PermitLimit", "3"));
        using var client = limited.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await client.PostAsJsonAsync(path, new { }, Ct)).StatusCode);
        }

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.BadRequest, s));
        var refused = await client.PostAsJsonAsync(path, new { }, Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter is not null);
        // Another endpoint has its own allowance.
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync("/api/auth/sign-out", new { }, Ct)).StatusCode);
    }
}
