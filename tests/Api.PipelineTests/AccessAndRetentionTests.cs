using Audit.Contracts;
using System.Net.Http.Headers;
using System.Security.Claims;
using Api.Identity;
using Api.Llm;
using Api.Usage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Api.PipelineTests;

public sealed class AccessAndRetentionTests(SimulatedApp app) : IClassFixture<SimulatedApp>
{
    [Fact]
    public async Task SupportSeesOnlyItsAssignedTenantsAndCannotDecideOrRetry()
    {
        using var member = await app.SignedInAsync("member@acme.test");
        using var globexMember = await app.SignedInAsync("member@globex.test");
        var acme = await PipelineApp.CreateActivityAsync(member);
        var globex = await PipelineApp.CreateActivityAsync(globexMember);
        await PipelineApp.WaitForStatusAsync(member, acme.Id, ActivityStatus.AwaitingApproval);

        using var support = SupportClient(await app.TenantIdAsync("acme"));
        Assert.Equal(HttpStatusCode.OK, (await support.GetAsync($"/api/activities/{acme.Id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await support.GetAsync($"/api/activities/{globex.Id}", Ct)).StatusCode);
        var listed = await support.GetFromJsonAsync<List<PipelineActivity>>("/api/activities", PipelineApp.Json, Ct);
        Assert.Contains(listed!, a => a.Id == acme.Id);
        Assert.DoesNotContain(listed!, a => a.Id == globex.Id);
        Assert.Equal(HttpStatusCode.Forbidden, (await support.GetAsync($"/api/usage?tenantId={globex.TenantId}", Ct)).StatusCode);
        var usage = await support.GetFromJsonAsync<UsageReport>("/api/usage", PipelineApp.Json, Ct);
        Assert.All(usage!.Rows, r => Assert.Equal("acme", r.Tenant));
        Assert.NotEmpty(usage.Rows);

        Assert.Equal(HttpStatusCode.Forbidden, (await support.PostAsJsonAsync($"/api/activities/{acme.Id}/approve", new { }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await support.PostAsync($"/api/activities/{acme.Id}/retry", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await support.PostAsJsonAsync("/api/activities", new { kind = "research_topics", input = "x" }, Ct)).StatusCode);
    }

    [Fact]
    public async Task CallRecordsPastTheirRetentionAreRemovedAndTheDailyRollupsStay()
    {
        var tenant = await app.TenantIdAsync("globex");
        foreach (var (id, age) in new[] { (Guid.NewGuid(), 200), (Guid.NewGuid(), 10) })
        {
            await app.ExecuteAsync("""
                INSERT INTO llm_calls (id, tenant_id, actor_type, actor, provider, model, outcome, input_sha256, created_at)
                VALUES (@id, @t, 'user', 'tests', 'simulated', 'sim-gpt-4o-mini', 'success', 'x', now() - make_interval(days => @age))
                """, ("id", id), ("t", tenant), ("age", age));
        }

        await app.ExecuteAsync("""
            INSERT INTO llm_usage_daily (day, tenant_id, provider, model, calls, cost_usd)
            VALUES (current_date - 200, @t, 'simulated', 'sim-gpt-4o-mini', 1, 0.5)
            """, ("t", tenant));

        var cleanup = app.Services.GetServices<IHostedService>().OfType<LlmCallCleanup>().Single();
        Assert.Equal(1, await cleanup.RunOnceAsync(Ct));
        Assert.Equal(0L, await app.ScalarAsync<long>("SELECT count(*) FROM llm_calls WHERE created_at < now() - interval '180 days'"));
        Assert.Equal(1L, await app.ScalarAsync<long>("SELECT count(*) FROM llm_calls WHERE tenant_id = @t AND actor = 'tests'", ("t", tenant)));
        Assert.Equal(1L, await app.ScalarAsync<long>("SELECT count(*) FROM llm_usage_daily WHERE day = current_date - 200"));
    }

    /// <summary>A support user's token as the Api signs it: role support, one support_tenants claim per assigned tenant.</summary>
    private HttpClient SupportClient(params Guid[] tenants)
    {
        var jwt = app.Services.GetRequiredService<IOptions<JwtOptions>>().Value;
        var claims = new List<Claim> { new(TokenClaims.Subject, Guid.NewGuid().ToString()), new(TokenClaims.Role, Roles.Support), new(TokenClaims.Name, "Support") };
        claims.AddRange(tenants.Select(t => new Claim(TokenClaims.SupportTenants, t.ToString())));
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = jwt.Issuer,
            Audience = jwt.Audience,
            Subject = new ClaimsIdentity(claims),
            Expires = DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = new SigningCredentials(app.Services.GetRequiredService<SigningKeys>().Current, SecurityAlgorithms.RsaSha256),
        });
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
