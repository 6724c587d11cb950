using System.Text.RegularExpressions;

namespace Api.Llm;

/// <summary>A short preview of a model's answer with e-mail addresses, long numbers and key-like strings masked.</summary>
public static partial class OutputRedactor
{
    public static string Preview(string text, int length)
    {
        var redacted = Secret().Replace(Number().Replace(Email().Replace(text, "[email]"), "[number]"), "[secret]");
        redacted = Whitespace().Replace(redacted, " ").Trim();
        return redacted.Length <= length ? redacted : redacted[..length] + "…";
    }

    [GeneratedRegex(@"[\w.+-]+@[\w-]+\.[\w.-]+")]
    private static partial Regex Email();

    [GeneratedRegex(@"\d[\d -]{6,}\d")]
    private static partial Regex Number();

    [GeneratedRegex(@"\b(sk|pk|rk|audk|ghp|xox[bp])[-_][A-Za-z0-9_-]{8,}")]
    private static partial Regex Secret();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
