using Microsoft.AspNetCore.Hosting;

namespace Api.FunctionalTests;

public sealed class ApiDescriptionTests(ApiFixture api)
{
    [Fact]
    public async Task DevelopmentServesTheOpenApiDocumentAndTheApiPage()
    {
        await using var development = api.WithWebHostBuilder(b => b.UseEnvironment("Development"));
        using var client = development.CreateClient();

        var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json", Ct)).RootElement;
        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/api/auth/sign-in", "/api/auth/refresh", "/api/tenants/{id}", "/api/tenants/{tenantId}/members", "/api/system/health" })
        {
            Assert.True(paths.TryGetProperty(path, out _), path);
        }

        // A tenant whose monthly LLM budget is spent is told so up front (402), and clients can know it from the document.
        Assert.True(paths.GetProperty("/api/activities").GetProperty("post").GetProperty("responses").TryGetProperty("402", out _));
        Assert.True(paths.TryGetProperty("/api/usage/caps/{tenantId}/month", out _));
        // Changing a tenant answers 403 to a reader and 404 to a stranger before its handler runs, and says so too.
        var changePlan = paths.GetProperty("/api/tenants/{id}/plan").GetProperty("put").GetProperty("responses");
        Assert.True(changePlan.TryGetProperty("403", out _) && changePlan.TryGetProperty("404", out _));
        Assert.True(document.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("Bearer", out _));
        var page = await client.GetAsync("/scalar/", Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("text/html", page.Content.Headers.ContentType!.ToString());
    }

    [Fact]
    public async Task OutsideDevelopmentThereIsNoApiPage()
    {
        using var client = api.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/openapi/v1.json", Ct)).StatusCode);
    }
}
