using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;

namespace Api.Identity;

/// <summary>
/// Checks an email and password with a per-account backoff: failures in a row lock the account (every password
/// refused, the right one too, until the lock ends or an admin unlocks it), and each lock is audited (user.locked).
/// Every attempt costs one password-hash check whatever the outcome (unknown email, pending invitation, locked
/// account), so neither the time of the answer nor its text tells whether the email exists or the password was right.
/// </summary>
public sealed partial class SignInGuard(UserStore users, IPasswordHasher<User> hasher, IOptions<SignInLockoutOptions> options, TimeProvider clock,
    IAuditLog audit, ILogger<SignInGuard> logger)
{
    public const string LockedAction = "user.locked";

    private static readonly User Decoy = new(Guid.Empty, "", "", "", Roles.Member, null, DateTimeOffset.UnixEpoch);

    // An unusable password's hash, made once: accounts that cannot sign in are checked against it.
    private readonly Lazy<string> _decoyHash = new(() => hasher.HashPassword(Decoy, Convert.ToHexString(RandomNumberGenerator.GetBytes(32))));

    /// <summary>The user when the password is right and the account open; null otherwise (the reason is audited, not answered).</summary>
    public async Task<User?> SignInAsync(DbScope db, string email, string password, CancellationToken ct)
    {
        var user = await users.FindByEmailAsync(db, email, ct);
        var usable = user is { InvitationPending: false };
        var verdict = hasher.VerifyHashedPassword(user ?? Decoy, usable ? user!.PasswordHash : _decoyHash.Value, password);
        var now = clock.GetUtcNow();
        var locked = user?.LockedUntil > now;
        if (usable && !locked && verdict != PasswordVerificationResult.Failed)
        {
            return user;
        }

        if (usable && !locked)
        {
            var (failures, until) = await users.RecordFailedSignInAsync(db, user!.Id, options.Value, now, ct);
            if (until > now)
            {
                LogLocked(logger, user.Id, failures);
                audit.Record(new AuditRecord
                {
                    Action = LockedAction,
                    Severity = "warning",
                    TenantId = user.TenantId ?? AuditTenants.Platform,
                    Actor = AuditActor.System("sign-in-lockout"),
                    ResourceType = "user",
                    ResourceId = user.Id.ToString(),
                    ResourceName = user.Email,
                    Description = $"{user.DisplayName} locked until {until:u} after {failures} failed sign-ins in a row",
                    After = new { lockedUntil = until, failedSignIns = failures },
                });
            }
        }

        audit.Record(new AuditRecord
        {
            Action = "user.login_failed",
            Severity = "warning",
            TenantId = user?.TenantId ?? AuditTenants.Platform,
            Actor = new AuditActor("human", user?.Id.ToString() ?? email, user?.DisplayName, email),
            ResourceType = "user",
            ResourceId = user?.Id.ToString(),
            Description = locked ? $"Sign-in refused for {email}: the account is locked until {user!.LockedUntil:u}" : $"Failed sign-in for {email}",
        });
        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId} locked after {Failures} failed sign-ins in a row")]
    private static partial void LogLocked(ILogger logger, Guid userId, int failures);
}
