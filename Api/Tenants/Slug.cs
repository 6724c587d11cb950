using System.Text.RegularExpressions;

namespace Api.Tenants;

public static partial class Slug
{
    public static string From(string name) => Cleaner().Replace(name.ToLowerInvariant(), "-").Trim('-');

    public static bool IsValid(string slug) => Pattern().IsMatch(slug);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,49}$")]
    private static partial Regex Pattern();

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex Cleaner();
}
