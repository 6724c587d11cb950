namespace Dashboard.Components.Shared;

/// <summary>
/// A tenant's members, and for its admins (and super admins) inviting, changing roles and removing: the Api audits each
/// change with the member before and after, and refuses what would leave the tenant without an admin.
/// </summary>
public sealed partial class TenantMembers
{
    private IReadOnlyList<UserView>? _members;
    private bool _busy;

    [Parameter, EditorRequired] public Guid TenantId { get; set; }
    [Parameter, EditorRequired] public string TenantName { get; set; } = "";
    [Parameter] public bool CanManage { get; set; }

    /// <summary>After a change: the member count the tenants list shows moved.</summary>
    [Parameter] public EventCallback OnChanged { get; set; }

    [Inject] public required MembersClient MembersClient { get; init; }
    [Inject] public required IDialogService Dialogs { get; init; }
    [Inject] public required ISnackbar Snackbar { get; init; }

    protected override Task OnParametersSetAsync() => _members is null ? LoadAsync() : Task.CompletedTask;

    private async Task LoadAsync()
    {
        try
        {
            _members = await MembersClient.ListAsync(TenantId);
        }
        catch (Exception ex) when (ex is ApiException or HttpRequestException)
        {
            _members = [];
            Snackbar.Add(ex.Message, Severity.Error);
        }
    }

    private async Task InviteAsync()
    {
        var dialog = await Dialogs.ShowAsync<InviteMemberDialog>($"Invite a member to {TenantName}",
            new DialogParameters<InviteMemberDialog> { { d => d.TenantId, TenantId } },
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        // However it was closed: an invitation may have been made before.
        await dialog.Result;
        await ChangedAsync();
    }

    private Task ChangeRoleAsync(UserView member, string role) =>
        role == member.Role ? Task.CompletedTask
            : RunAsync(() => MembersClient.ChangeRoleAsync(TenantId, member.Id, role), $"{member.Email} is now {Display.Words(role)}.");

    private async Task RemoveAsync(UserView member)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Remove member",
            $"Remove {member.DisplayName} ({member.Email}) from {TenantName}? Their sessions end now.", yesText: "Remove", cancelText: "Cancel");
        if (confirmed == true)
        {
            await RunAsync(() => MembersClient.RemoveAsync(TenantId, member.Id), $"{member.Email} was removed.");
        }
    }

    private async Task RunAsync(Func<Task> change, string done)
    {
        _busy = true;
        try
        {
            await change();
            Snackbar.Add(done, Severity.Success);
            await ChangedAsync();
        }
        catch (Exception ex) when (ex is ApiException or HttpRequestException)
        {
            // E.g. the last admin of the tenant: the Api says so, and the list stays as it was.
            Snackbar.Add(ex.Message, Severity.Error);
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task ChangedAsync()
    {
        await LoadAsync();
        await OnChanged.InvokeAsync();
    }
}
