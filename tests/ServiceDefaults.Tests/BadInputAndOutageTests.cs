using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Npgsql;

namespace ServiceDefaults.Tests;

/// <summary>Malformed input is the caller's 400 naming the parameter, a dependency outage is a 503 with Retry-After: never a 500.</summary>
public sealed class BadInputAndOutageTests
{
    /// <summary>Each malformed query value, with the parameter its 400 must name, in every environment.</summary>
    public static TheoryData<string, string, string> MalformedQueries => new(
        from environment in EveryEnvironmentAttribute.Environments
        from query in new (string Path, string Field)[]
        {
            ("/items?from=garbage", "from"),
            ("/items?limit=abc", "limit"),
            ("/items?limit=99999999999999999999", "limit"),
            ("/items?q=%00", "q"),
            ("/items?q=a%00b", "q"),
            ("/items?from=%0d%0aservice%20%7C%20crit%3A%20FORGED", "from"),
        }
        select (environment, query.Path, query.Field));

    [Theory]
    [MemberData(nameof(MalformedQueries))]
    public async Task AMalformedQueryValueIs400NamingTheParameter(string environment, string path, string field)
    {
        await using var service = await TestService.StartAsync(map: MapItems, environment: environment);
        using var client = service.Client;

        var response = await client.GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.StartsWith($"{field}: ", problem.GetProperty("detail").GetString());
        Assert.DoesNotContain("FORGED", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [EveryEnvironment]
    public async Task AMalformedJsonBodyIs400NamingTheMember(string environment)
    {
        await using var service = await TestService.StartAsync(map: MapItems, environment: environment);
        using var client = service.Client;

        var response = await client.PostAsync("/items", new StringContent("{\"count\":\"many\"}", System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal("count", problem.GetProperty("field").GetString());
    }

    [Theory]
    [EveryEnvironment]
    public async Task ADatabaseThatIsDownIs503WithRetryAfterAndProblemDetails(string environment)
    {
        // A real connection attempt to a port where nothing listens: the outage is real, not simulated.
        var closedPort = Testing.FreePort();
        await using var service = await TestService.StartAsync(environment: environment, map: app => app.MapGet("/needs-db", async () =>
        {
            await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={closedPort};Username=x;Password=y;Timeout=2");
            await connection.OpenAsync();
            return "unreachable";
        }));
        using var client = service.Client;

        var response = await client.GetAsync("/needs-db", Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Contains("database", problem.GetProperty("detail").GetString());
    }

    private static void MapItems(WebApplication app)
    {
        app.MapGet("/items", (DateTimeOffset? from, int? limit, string? q) => Results.Ok(new { from, limit, q }));
        app.MapPost("/items", (ItemRequest request) => Results.Ok(request));
    }

    private sealed record ItemRequest(int? Count);

    private static class Testing
    {
        public static int FreePort()
        {
            using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
