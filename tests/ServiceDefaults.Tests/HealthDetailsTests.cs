using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ServiceDefaults.Tests;

/// <summary>/health names the failing dependency to Development and to operators; anyone else learns the status only.</summary>
public sealed class HealthDetailsTests
{
    private const string OperatorHeader = "X-Test-Operator";
    [Theory]
    [InlineData("Development", false, true)]
    [InlineData("Production", false, false)]
    [InlineData("Production", true, true)]
    public async Task DetailsOnlyInDevelopmentOrForAnOperator(string environment, bool asOperator, bool detailed)
    {
        await using var service = await TestService.StartAsync(configure: WithFailingDatabaseAndOperators, environment: environment);
        using var client = service.Client;
        if (asOperator)
        {
            client.DefaultRequestHeaders.Add(OperatorHeader, "yes");
        }

        var response = await client.GetAsync("/health", Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        var text = await response.Content.ReadAsStringAsync(Ct);
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal("Unhealthy", body.GetProperty("status").GetString());
        if (detailed)
        {
            Assert.Equal(["appdb"], body.GetProperty("unhealthy").EnumerateArray().Select(e => e.GetString()));
            Assert.Contains(body.GetProperty("checks").EnumerateArray(), c => c.GetProperty("description").GetString() == "connection refused");
        }
        else
        {
            Assert.Equal(["status"], body.EnumerateObject().Select(p => p.Name));
            Assert.DoesNotContain("appdb", text);
            Assert.DoesNotContain("refused", text);
        }
    }

    private static void WithFailingDatabaseAndOperators(Microsoft.AspNetCore.Builder.WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks().AddCheck("appdb", () => HealthCheckResult.Unhealthy("connection refused"), ["ready"]);
        builder.Services.AddAuthentication("test").AddScheme<AuthenticationSchemeOptions, OperatorHeaderHandler>("test", null);
        builder.Services.AddAuthorizationBuilder().AddPolicy(Microsoft.Extensions.Hosting.Extensions.HealthDetailsPolicy,
            p => p.AddAuthenticationSchemes("test").RequireRole("operator"));
    }

    // Stands in for each service's own sign-in (API key, bearer token, cookie): the header makes the caller an operator.
    private sealed class OperatorHeaderHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync() =>
            Task.FromResult(Request.Headers.ContainsKey(OperatorHeader)
                ? AuthenticateResult.Success(new AuthenticationTicket(
                    new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Role, "operator")], "test")), "test"))
                : AuthenticateResult.NoResult());
    }
}
