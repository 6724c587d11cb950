namespace Dashboard.BrowserTests;

/// <summary>A tenant admin invites, promotes and removes a member from the Dashboard; the invitee joins through it; each change is audited.</summary>
public sealed class MembersTests(BrowserSystem system)
{
    [Fact]
    public async Task AnAdminInvitesChangesTheRoleOfAndRemovesAMemberEachAuditedWithBeforeAndAfter()
    {
        using var team = await system.SignUpAsync("team");
        var invitee = $"joiner-{Guid.NewGuid().ToString("N")[..8]}@team.test";
        await using var admin = await system.SignInAtAsync("/tenants", team.Email, team.Password);
        await admin.Page.ClickAsync("[data-testid=show-members]");

        // Invite: the dialog shows the one-time code.
        await admin.Page.ClickAsync("[data-testid=invite-member]");
        await admin.Page.GetByLabel("Email").FillAsync(invitee);
        await admin.Page.GetByLabel("Display name").FillAsync("Jo Joiner");
        await admin.Page.ClickAsync("[data-testid=invite-send]");
        var code = await admin.Page.GetByLabel("Invitation code", new() { Exact = true }).InputValueAsync();
        Assert.StartsWith("inv_", code);
        await admin.Page.ClickAsync("[data-testid=invite-done]");
        var row = admin.Page.Locator($"[data-testid=members] tr[data-member='{invitee}']");
        await row.Locator("[data-testid=invited]").WaitForAsync();

        // The invitee sets a password with the code and is signed in.
        await using (var joiner = await JoinAsync(code))
        {
            Assert.Contains("Jo Joiner", await joiner.Page.Locator("[data-testid=signed-in-as]").InnerTextAsync());
            Assert.Contains("Member", await joiner.Page.Locator("[data-testid=signed-in-as]").InnerTextAsync());
        }

        // Promote, then remove (after a confirmation).
        await admin.Page.ReloadAsync();
        await admin.WaitUntilInteractiveAsync();
        await admin.Page.ClickAsync("[data-testid=show-members]");
        await Eventually.Async(async () => await row.Locator("[data-testid=invited]").CountAsync() == 0 ? (bool?)true : null, 20);
        await admin.ChooseAsync($"Role of {invitee}", "tenant admin");
        await admin.Page.GetByText($"{invitee} is now tenant admin.").WaitForAsync();
        await row.Locator("[data-testid=remove-member]").ClickAsync();
        await admin.Page.GetByRole(AriaRole.Button, new() { Name = "Remove", Exact = true }).ClickAsync();
        await row.WaitForAsync(new() { State = WaitForSelectorState.Detached });
        await admin.ScreenshotAsync("tenant-members");
        Assert.Empty(admin.ConsoleErrors);

        // The tenant's audit log holds each change with the member before and after.
        using var audit = new HttpClient { BaseAddress = system.Host.Url("auditservice") };
        audit.DefaultRequestHeaders.Authorization = new("Bearer", await system.TokenAsync(team.Email, team.Password));
        var entries = await Eventually.Async(async () =>
        {
            var page = await audit.GetFromJsonAsync<JsonElement>("/api/v1/audit-events?resourceType=user&limit=50");
            var items = page.GetProperty("items").EnumerateArray().ToList();
            return items.Any(e => e.GetProperty("action").GetString() == "member.removed") ? items : null;
        }, 30);
        JsonElement Entry(string action) => entries.Single(e => e.GetProperty("action").GetString() == action);
        Assert.Equal(JsonValueKind.Null, Entry("member.invited").GetProperty("before").ValueKind);
        Assert.Equal(invitee, Entry("member.invited").GetProperty("after").GetProperty("email").GetString());
        Assert.Equal("member", Entry("member.role_changed").GetProperty("before").GetProperty("role").GetString());
        Assert.Equal("tenant_admin", Entry("member.role_changed").GetProperty("after").GetProperty("role").GetString());
        Assert.Equal(invitee, Entry("member.role_changed").GetProperty("after").GetProperty("email").GetString());
        Assert.Equal(invitee, Entry("member.removed").GetProperty("before").GetProperty("email").GetString());
        Assert.Equal(JsonValueKind.Null, Entry("member.removed").GetProperty("after").ValueKind);
        Assert.Single(entries, e => e.GetProperty("action").GetString() == "member.invitation_accepted");
    }

    [Fact]
    public async Task AWrongInvitationCodeIsRefusedOnThePage()
    {
        await using var page = await JoinAsync("inv_not-a-real-code", expectSignedIn: false);
        Assert.Contains("unknown, expired or already used", await page.Page.Locator("[data-testid=accept-error]").InnerTextAsync());
        Assert.Contains("/accept-invitation", page.Page.Url);
    }

    /// <summary>The invitee's side: the accept-invitation form in a browser of their own.</summary>
    private async Task<SignedInPage> JoinAsync(string code, bool expectSignedIn = true)
    {
        var context = await system.Browser.NewContextAsync();
        var page = new SignedInPage(context, await context.NewPageAsync(), system.Dashboard);
        await page.Page.GotoAsync(new Uri(system.Dashboard, "/accept-invitation").ToString());
        await page.Page.FillAsync("#code", code);
        await page.Page.FillAsync("#password", "a-long-enough-password-2");
        await page.Page.FillAsync("#repeat", "a-long-enough-password-2");
        await page.Page.ClickAsync("[data-testid=accept-submit]");
        if (expectSignedIn)
        {
            await page.WaitUntilInteractiveAsync();
        }
        else
        {
            await page.Page.Locator("[data-testid=accept-error]").WaitForAsync();
        }

        return page;
    }
}
