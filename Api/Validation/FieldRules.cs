namespace Api.Validation;

/// <summary>The Api's rules for request fields, each with the one sentence its 400 problem names the field with.</summary>
public static class FieldRules
{
    public const int MinPasswordLength = PasswordRules.MinLength;

    public static void Email(string? email, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(email) || email.Length > 320 || !email.Contains('@'))
        {
            errors["email"] = ["is required and must be an email address."];
        }
    }

    public static void NewPassword(string? password, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(password) || password.Length < MinPasswordLength || password.Length > PasswordRules.MaxLength)
        {
            errors["password"] = [$"must be {MinPasswordLength} to {PasswordRules.MaxLength} characters."];
        }
    }

    public static void Required(string? value, string field, int max, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > max)
        {
            errors[field] = [$"is required, at most {max} characters."];
        }
    }

    /// <summary>A value from a closed set; <paramref name="value"/> null counts as missing.</summary>
    public static void OneOf(string? value, string field, IEnumerable<string> allowed, Dictionary<string, string[]> errors)
    {
        if (value is null || !allowed.Contains(value))
        {
            errors[field] = [$"must be one of {string.Join(", ", allowed)}."];
        }
    }
}
