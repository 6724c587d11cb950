namespace Api.Identity;

public static class AuthValidation
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
}
