namespace Api.Identity;

/// <summary>
/// After this many failed sign-ins in a row an account is locked, first for <see cref="FirstLockout"/>, doubling with
/// each further failure up to <see cref="MaxLockout"/>; while locked every password is refused, the right one too.
/// </summary>
public sealed class SignInLockoutOptions : IValidatableObject
{
    public const string SectionName = "SignInLockout";

    [Range(1, 100)]
    public int FailuresBeforeLockout { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan FirstLockout { get; set; } = TimeSpan.FromMinutes(1);

    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan MaxLockout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long the account is locked after its <paramref name="failures"/>th failure in a row (zero: not locked).</summary>
    public TimeSpan LockoutAfter(int failures) =>
        failures < FailuresBeforeLockout ? TimeSpan.Zero
            : TimeSpan.FromTicks((long)Math.Min(MaxLockout.Ticks, FirstLockout.Ticks * Math.Pow(2, failures - FailuresBeforeLockout)));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxLockout < FirstLockout)
        {
            yield return new ValidationResult("SignInLockout:MaxLockout must not be shorter than FirstLockout.", [nameof(MaxLockout)]);
        }
    }
}
