using Api.Tenants;

namespace Api.FunctionalTests;

public sealed class TenantsTests(ApiFixture api)
{
    [Fact]
    public async Task SuperAdminsSeeEveryTenantWithPlanBudgetMembersAndLastActivity()
    {
        await api.SignInAsync(ApiFixture.AcmeMember);
        var tenants = await api.ReadAsAsync<List<TenantSummary>>(ApiFixture.SuperAdmin, "/api/tenants");

        var acme = tenants.Single(t => t.Slug == "acme");
        Assert.Equal("pro", acme.Plan);
        Assert.Equal(100m, acme.MonthlyBudgetUsd);
        Assert.True(acme.MemberCount >= 2);
        Assert.NotNull(acme.LastSignInAt);
        Assert.Equal(500m, tenants.Single(t => t.Slug == "globex").MonthlyBudgetUsd);
    }

    [Theory]
    [InlineData(ApiFixture.AcmeAdmin, new[] { "acme" })]
    [InlineData(ApiFixture.AcmeMember, new[] { "acme" })]
    [InlineData(ApiFixture.GlobexMember, new[] { "globex" })]
    [InlineData(ApiFixture.Support, new[] { "acme" })]
    public async Task OthersSeeOnlyTheirOwnOrAssignedTenants(string email, string[] slugs)
    {
        var tenants = await api.ReadAsAsync<List<TenantSummary>>(email, "/api/tenants");
        Assert.Equal(slugs, tenants.Select(t => t.Slug));
    }

    [Theory]
    [InlineData(ApiFixture.AcmeAdmin, HttpStatusCode.NotFound)]
    [InlineData(ApiFixture.AcmeMember, HttpStatusCode.NotFound)]
    [InlineData(ApiFixture.Support, HttpStatusCode.NotFound)]
    [InlineData(ApiFixture.GlobexMember, HttpStatusCode.OK)]
    [InlineData(ApiFixture.SuperAdmin, HttpStatusCode.OK)]
    public async Task ForeignTenantsAreNotFound(string email, HttpStatusCode expected)
    {
        var globex = await api.TenantIdAsync("globex");
        Assert.Equal(expected, await api.StatusForAsync(email, HttpMethod.Get, $"/api/tenants/{globex}"));
    }

    [Fact]
    public async Task AnonymousCallersAreUnauthorized()
    {
        using var client = api.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/tenants", Ct)).StatusCode);
    }

    [Theory]
    [InlineData(ApiFixture.AcmeMember, HttpStatusCode.Forbidden)]
    [InlineData(ApiFixture.Support, HttpStatusCode.Forbidden)]
    [InlineData(ApiFixture.GlobexAdmin, HttpStatusCode.NotFound)]
    public async Task OnlyTenantAdminsAndSuperAdminsChangePlans(string email, HttpStatusCode expected)
    {
        var acme = await api.TenantIdAsync("acme");
        Assert.Equal(expected, await api.StatusForAsync(email, HttpMethod.Put, $"/api/tenants/{acme}/plan", new { plan = "team" }));
        Assert.Equal(expected, await api.StatusForAsync(email, HttpMethod.Put, $"/api/tenants/{acme}/settings", new { timezone = "UTC" }));
    }

    [Fact]
    public async Task PlanChangeMovesTheBudgetAndIsAuditedWithBeforeAndAfter()
    {
        using var umbrella = await api.SignUpTenantAsync("umbrella");

        var response = await umbrella.Client.PutAsJsonAsync($"/api/tenants/{umbrella.TenantId}/plan", new { plan = "team" }, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(500m, (await response.Content.ReadFromJsonAsync<TenantSummary>(cancellationToken: Ct))!.MonthlyBudgetUsd);

        var audited = await api.AuditEventAsync(umbrella.TenantId, e => e.Action == "tenant.plan_changed");
        Assert.Equal("free", audited.Before!.Value.GetProperty("plan").GetString());
        Assert.Equal("team", audited.After!.Value.GetProperty("plan").GetString());
        Assert.Equal(umbrella.Session.User.Id.ToString(), audited.Actor.Id);
    }

    [Fact]
    public async Task UnknownPlanIsAProblemNamingTheField()
    {
        using var client = await api.ClientForAsync(ApiFixture.SuperAdmin);
        var response = await client.PutAsJsonAsync($"/api/tenants/{await api.TenantIdAsync("acme")}/plan", new { plan = "gold" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken: Ct)).GetProperty("errors").TryGetProperty("plan", out _));
    }

    [Fact]
    public async Task SettingsChangeIsValidatedStoredAndAuditedWithBeforeAndAfter()
    {
        using var hooli = await api.SignUpTenantAsync("hooli");

        var bad = await hooli.Client.PutAsJsonAsync($"/api/tenants/{hooli.TenantId}/settings", new { timezone = "Mars/Olympus", spendAlertEmail = "nope" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>(cancellationToken: Ct)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("timezone", out _));
        Assert.True(errors.TryGetProperty("spendAlertEmail", out _));

        var ok = await hooli.Client.PutAsJsonAsync($"/api/tenants/{hooli.TenantId}/settings",
            new { timezone = "Europe/Berlin", storeOutputPreviews = true, spendAlertEmail = "billing@hooli.test" }, Ct);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var tenant = await hooli.Client.GetFromJsonAsync<TenantSummary>($"/api/tenants/{hooli.TenantId}", Ct);
        Assert.Equal(new TenantSettings("Europe/Berlin", true, "billing@hooli.test"), tenant!.Settings);

        var audited = await api.AuditEventAsync(hooli.TenantId, e => e.Action == "tenant.settings_changed");
        Assert.Equal(JsonValueKind.Null, audited.Before!.Value.GetProperty("timezone").ValueKind);
        Assert.Equal("Europe/Berlin", audited.After!.Value.GetProperty("timezone").GetString());
    }

    [Fact]
    public async Task OnlySuperAdminsCreateTenants()
    {
        Assert.Equal(HttpStatusCode.Forbidden, await api.StatusForAsync(ApiFixture.AcmeAdmin, HttpMethod.Post, "/api/tenants", new { name = "Nope Inc" }));

        using var root = await api.ClientForAsync(ApiFixture.SuperAdmin);
        var created = await root.PostAsJsonAsync("/api/tenants", new { name = "Stark Industries", plan = "pro" }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var tenant = (await created.Content.ReadFromJsonAsync<Tenant>(cancellationToken: Ct))!;
        await api.AuditEventAsync(tenant.Id, e => e.Action == "tenant.created");
    }
}
