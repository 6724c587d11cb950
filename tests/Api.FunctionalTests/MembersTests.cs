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
        using var wayne = await api.SignUpTenantAsync("wayne");

        var invited = await wayne.Client.PostAsJsonAsync($"/api/tenants/{wayne.TenantId}/members", new { email = "robin@wayne.test", displayName = "Robin" }, Ct);
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
        Assert.Equal(wayne.TenantId, session.User.TenantId);

        var audited = await api.AuditEventAsync(wayne.TenantId, e => e.Action == "member.invited");
        Assert.Equal("robin@wayne.test", audited.After!.Value.GetProperty("email").GetString());
        Assert.Equal(wayne.Session.User.Id.ToString(), audited.Actor.Id);
        await api.AuditEventAsync(wayne.TenantId, e => e.Action == "member.invitation_accepted");
    }

    [Fact]
    public async Task RoleChangeAndRemovalAreAuditedAndTheLastAdminStays()
    {
        using var cyberdyne = await api.SignUpTenantAsync("cyberdyne");
        var invitation = (await (await cyberdyne.Client.PostAsJsonAsync($"/api/tenants/{cyberdyne.TenantId}/members",
            new { email = "miles@cyberdyne.test", displayName = "Miles" }, Ct)).Content.ReadFromJsonAsync<Invitation>(cancellationToken: Ct))!;
        var memberId = invitation.Member.Id;

        Assert.Equal(HttpStatusCode.Conflict, (await cyberdyne.Client.PutAsJsonAsync($"/api/tenants/{cyberdyne.TenantId}/members/{cyberdyne.Session.User.Id}/role", new { role = "member" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await cyberdyne.Client.DeleteAsync($"/api/tenants/{cyberdyne.TenantId}/members/{cyberdyne.Session.User.Id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await cyberdyne.Client.PutAsJsonAsync($"/api/tenants/{cyberdyne.TenantId}/members/{memberId}/role", new { role = "super_admin" }, Ct)).StatusCode);

        var promoted = await cyberdyne.Client.PutAsJsonAsync($"/api/tenants/{cyberdyne.TenantId}/members/{memberId}/role", new { role = "tenant_admin" }, Ct);
        Assert.Equal(HttpStatusCode.OK, promoted.StatusCode);
        var roleChange = await api.AuditEventAsync(cyberdyne.TenantId, e => e.Action == "member.role_changed");
        Assert.Equal("member", roleChange.Before!.Value.GetProperty("role").GetString());
        Assert.Equal("tenant_admin", roleChange.After!.Value.GetProperty("role").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await cyberdyne.Client.DeleteAsync($"/api/tenants/{cyberdyne.TenantId}/members/{memberId}", Ct)).StatusCode);
        var members = await cyberdyne.Client.GetFromJsonAsync<List<UserView>>($"/api/tenants/{cyberdyne.TenantId}/members", Ct);
        Assert.Equal([cyberdyne.Session.User.Id], members!.Select(m => m.Id));
        var removed = await api.AuditEventAsync(cyberdyne.TenantId, e => e.Action == "member.removed");
        Assert.Equal("miles@cyberdyne.test", removed.Before!.Value.GetProperty("email").GetString());
    }

    // Acme's admins list and manage its members (the tests above); for everyone else, what they may do to acme's.
    [Theory]
    [InlineData(ApiFixture.AcmeMember, HttpStatusCode.OK, HttpStatusCode.Forbidden)]
    [InlineData(ApiFixture.Support, HttpStatusCode.OK, HttpStatusCode.Forbidden)]
    [InlineData(ApiFixture.GlobexAdmin, HttpStatusCode.NotFound, HttpStatusCode.NotFound)]
    [InlineData(ApiFixture.GlobexMember, HttpStatusCode.NotFound, HttpStatusCode.NotFound)]
    public async Task MemberListsAreForTheTenantAndItsSupportAndOnlyItsAdminsManageMembers(string email, HttpStatusCode list, HttpStatusCode manage)
    {
        var acme = await api.TenantIdAsync("acme");
        var members = await api.ReadAsAsync<List<UserView>>(ApiFixture.AcmeAdmin, $"/api/tenants/{acme}/members");
        var someone = members.First(m => m.Role == Roles.Member).Id;

        Assert.Equal(list, await api.StatusForAsync(email, HttpMethod.Get, $"/api/tenants/{acme}/members"));
        Assert.Equal(manage, await api.StatusForAsync(email, HttpMethod.Post, $"/api/tenants/{acme}/members", new { email = "x@acme.test", displayName = "X" }));
        Assert.Equal(manage, await api.StatusForAsync(email, HttpMethod.Put, $"/api/tenants/{acme}/members/{someone}/role", new { role = "tenant_admin" }));
        Assert.Equal(manage, await api.StatusForAsync(email, HttpMethod.Delete, $"/api/tenants/{acme}/members/{someone}"));
    }

    [Fact]
    public async Task UsersListShowsPlanAndLastActivityWithinTheCallersScope()
    {
        await api.SignInAsync(ApiFixture.GlobexMember);
        var all = await api.ReadAsAsync<List<UserListItem>>(ApiFixture.SuperAdmin, "/api/users");
        var globexMember = all.Single(u => u.User.Email == ApiFixture.GlobexMember);
        Assert.Equal("team", globexMember.Plan);
        Assert.NotNull(globexMember.User.LastSignInAt);

        var seen = await api.ReadAsAsync<List<UserListItem>>(ApiFixture.Support, "/api/users");
        Assert.All(seen, u => Assert.Equal("Acme", u.TenantName));
    }

    [Fact]
    public async Task SuperAdminsAssignSupportUsersToTenants()
    {
        using var tyrell = await api.SignUpTenantAsync("tyrell");
        var supportId = (await api.SignInAsync(ApiFixture.Support)).User.Id;

        Assert.Equal(HttpStatusCode.Forbidden, (await tyrell.Client.PutAsync($"/api/tenants/{tyrell.TenantId}/support/{supportId}", null, Ct)).StatusCode);

        using var root = await api.ClientForAsync(ApiFixture.SuperAdmin);
        Assert.Equal(HttpStatusCode.NoContent, (await root.PutAsync($"/api/tenants/{tyrell.TenantId}/support/{supportId}", null, Ct)).StatusCode);
        var token = ApiFixture.Decode((await api.SignInAsync(ApiFixture.Support)).AccessToken);
        Assert.Contains(tyrell.TenantId.ToString(), token.Claims.Where(c => c.Type == "support_tenants").Select(c => c.Value));
        await api.AuditEventAsync(tyrell.TenantId, e => e.Action == "support.assigned");

        Assert.Equal(HttpStatusCode.NoContent, (await root.DeleteAsync($"/api/tenants/{tyrell.TenantId}/support/{supportId}", Ct)).StatusCode);
        await api.AuditEventAsync(tyrell.TenantId, e => e.Action == "support.unassigned");
    }
}
