using Microsoft.AspNetCore.Hosting;
using Testing;

namespace Api.FunctionalTests;

/// <summary>Hostile query strings on every Api endpoint, in Development (what the AppHost runs) and Production: never a 5xx.</summary>
public sealed class QueryStringFuzzTests(ApiFixture api)
{
    [Theory]
    [EveryEnvironment]
    public async Task NoQueryStringOnAnyEndpointAnswersA5xxOrAnErrorThatIsNotAProblem(string environment)
    {
        await using var host = api.WithWebHostBuilder(b => b.UseEnvironment(environment));
        var token = (await api.SignInAsync(ApiFixture.SuperAdmin)).AccessToken;
        using var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);

        var targets = QueryStringFuzz.Targets(host.Services);
        var failures = await QueryStringFuzz.RunAsync(client, targets, Ct);

        Assert.Contains(targets, t => t.Path == "/api/usage" && t.QueryNames.Count > 0);
        Assert.Contains(targets, t => t.Path == "/api/auth/sign-in" && t.Method == "POST");
        Assert.True(targets.Count >= 30, $"only {targets.Count} endpoints found");
        Assert.True(failures.Count == 0, $"{failures.Count} bad answers:\n{string.Join("\n", failures.Take(60))}");
    }
}
