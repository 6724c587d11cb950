using Audit.Contracts;
using Api.Identity;
using Api.Members;
using Testing;

namespace Api.FunctionalTests;

public sealed class MembersTests(ApiFixture api)
{
    [Fact]
    public async Task InvitedMemberAcceptsSetsAPasswordAndSignsIn()
    {
        var (owner, tenantId) = await api.SignUpTenantAsync("wayne");
        using var admin = api.ClientWithToken(owner.AccessToken);

        var invited = await admin.PostAsJsonAsync($"/api/tenants/{tenantId}/members", new { email = "robin@wayne.test", displayName = "Robin" }, Ct);
        Assert.Equal(HttpStatusCode.Created, invited.StatusCode);
        var invitation = (await invited.Content.ReadFromJsonAsync<Invitation>(cancellationToken: Ct))!;
        Assert.True(invitation.Member.InvitationPending);

        using var anonymous = api.CreateClient();
        // Not before accepting: the member has no password yet.
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await anonymous.PostSignInAsync("robin@wayne.test", "" + ApiFixture.Password, ct: Ct)).StatusCode);

        var accepted = await anonymous.PostAsJsonAsync("/api/auth/accept-invitation", new { token = invitation.InvitationToken, password = "robins-own-password" }, Ct);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var again = await anonymous.PostAsJsonAsync("/api/auth/accept-invitation", new { token = invitation.InvitationToken, password = "robins-own-password" }, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);

        var session = await api.SignInAsync("robin@wayne.test", "robins-own-password");
        Assert.Equal(Roles.Member, session.User.Role);
        Assert.Equal(tenantId, session.User.TenantId);

        var audited = await api.AuditEventAsync(tenantId, e => e.Action == "member.invited");
        Assert.Equal("robin@wayne.test", audited.After!.Value.GetProperty("email").GetString());
        Assert.Equal(owner.User.Id.ToString(), audited.Actor.Id);
        await api.AuditEventAsync(tenantId, e => e.Action == "member.invitation_accepted");
    }

    [Fact]
    public async Task RoleChangeAndRemovalAreAuditedAndTheLastAdminStays()
    {
        var (owner, tenantId) = await api.SignUpTenantAsync("cyberdyne");
        using var admin = api.ClientWithToken(owner.AccessToken);
        var invitation = (await (await admin.PostAsJsonAsync($"/api/tenants/{tenantId}/members",
            new { email = "miles@cyberdyne.test", displayName = "Miles" }, Ct)).Content.ReadFromJsonAsync<Invitation>(cancellationToken: Ct))!;
        var memberId = invitation.Member.Id;

        Assert.Equal(HttpStatusCode.Conflict, (await admin.PutAsJsonAsync($"/api/tenants/{tenantId}/members/{owner.User.Id}/role", new { role = "member" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.DeleteAsync($"/api/tenants/{tenantId}/members/{owner.User.Id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsJsonAsync($"/api/tenants/{tenantId}/members/{memberId}/role", new { role = "super_admin" }, Ct)).StatusCode);

        var promoted = await admin.PutAsJsonAsync($"/api/tenants/{tenantId}/members/{memberId}/role", new { role = "tenant_admin" }, Ct);
        Assert.Equal(HttpStatusCode.OK, promoted.StatusCode);
        var roleChange = await api.AuditEventAsync(tenantId, e => e.Action == "member.role_changed");
        Assert.Equal("member", roleChange.Before!.Value.GetProperty("role").GetString());
        Assert.Equal("tenant_admin", roleChange.After!.Value.GetProperty("role").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/tenants/{tenantId}/members/{memberId}", Ct)).StatusCode);
        var members = await admin.GetFromJsonAsync<List<UserView>>($"/api/tenants/{tenantId}/members", Ct);
        Assert.Equal([owner.User.Id], members!.Select(m => m.Id));
        var removed = await api.AuditEventAsync(tenantId, e => e.Action == "member.removed");
        Assert.Equal("miles@cyberdyne.test", removed.Before!.Value.GetProperty("email").GetString());
    }

    [Theory]
    [InlineData(ApiFixture.AcmeMember, HttpStatusCode.Forbidden)]
    [InlineData(ApiFixture.Support, HttpStatusCode.Forbidden)]
    [InlineData(ApiFixture.GlobexAdmin, HttpStatusCode.NotFound)]
    public async Task OnlyTheTenantsAdminsManageMembers(string email, HttpStatusCode expected)
    {
        var acme = await api.TenantIdAsync("acme");
        using var client = await api.ClientForAsync(email);
        var members = await (await api.ClientForAsync(ApiFixture.AcmeAdmin)).GetFromJsonAsync<List<UserView>>($"/api/tenants/{acme}/members", Ct);
        var someone = members!.First(m => m.Role == Roles.Member).Id;

        Assert.Equal(expected, (await client.PostAsJsonAsync($"/api/tenants/{acme}/members", new { email = "x@acme.test", displayName = "X" }, Ct)).StatusCode);
        Assert.Equal(expected, (await client.PutAsJsonAsync($"/api/tenants/{acme}/members/{someone}/role", new { role = "tenant_admin" }, Ct)).StatusCode);
        Assert.Equal(expected, (await client.DeleteAsync($"/api/tenants/{acme}/members/{someone}", Ct)).StatusCode);
    }

    [Theory]
    [InlineData(ApiFixture.Support, HttpStatusCode.OK)]
    [InlineData(ApiFixture.AcmeMember, HttpStatusCode.OK)]
    [InlineData(ApiFixture.GlobexMember, HttpStatusCode.NotFound)]
    public async Task MemberListsAreForTheTenantAndItsSupport(string email, HttpStatusCode expected)
    {
        using var client = await api.ClientForAsync(email);
        Assert.Equal(expected, (await client.GetAsync($"/api/tenants/{await api.TenantIdAsync("acme")}/members", Ct)).StatusCode);
    }

    [Fact]
    public async Task UsersListShowsPlanAndLastActivityWithinTheCallersScope()
    {
        await api.SignInAsync(ApiFixture.GlobexMember);
        using var root = await api.ClientForAsync(ApiFixture.SuperAdmin);
        var all = await root.GetFromJsonAsync<List<UserListItem>>("/api/users", Ct);
        var globexMember = all!.Single(u => u.User.Email == ApiFixture.GlobexMember);
        Assert.Equal("team", globexMember.Plan);
        Assert.NotNull(globexMember.User.LastSignInAt);

        using var support = await api.ClientForAsync(ApiFixture.Support);
        var seen = await support.GetFromJsonAsync<List<UserListItem>>("/api/users", Ct);
        Assert.All(seen!, u => Assert.Equal("Acme", u.TenantName));
    }

    [Fact]
    public async Task SuperAdminsAssignSupportUsersToTenants()
    {
        var (owner, tenantId) = await api.SignUpTenantAsync("tyrell");
        var supportId = (await api.SignInAsync(ApiFixture.Support)).User.Id;

        using var admin = api.ClientWithToken(owner.AccessToken);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.PutAsync($"/api/tenants/{tenantId}/support/{supportId}", null, Ct)).StatusCode);

        using var root = await api.ClientForAsync(ApiFixture.SuperAdmin);
        Assert.Equal(HttpStatusCode.NoContent, (await root.PutAsync($"/api/tenants/{tenantId}/support/{supportId}", null, Ct)).StatusCode);
        var token = ApiFixture.Decode((await api.SignInAsync(ApiFixture.Support)).AccessToken);
        Assert.Contains(tenantId.ToString(), token.Claims.Where(c => c.Type == "support_tenants").Select(c => c.Value));
        await api.AuditEventAsync(tenantId, e => e.Action == "support.assigned");

        Assert.Equal(HttpStatusCode.NoContent, (await root.DeleteAsync($"/api/tenants/{tenantId}/support/{supportId}", Ct)).StatusCode);
        await api.AuditEventAsync(tenantId, e => e.Action == "support.unassigned");
    }
}
