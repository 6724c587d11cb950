namespace Dashboard.BrowserTests;

/// <summary>The Dashboard's pages: the entry that names each in the navigation, its path, and the heading it opens under.</summary>
public static class DashboardPages
{
    public static readonly IReadOnlyList<(string Entry, string Path, string Heading)> All =
    [
        ("Home", "/", "Welcome"),
        ("Overview", "/overview", "Overview"),
        ("Audit log", "/audit", "Audit log"),
        ("Usage and cost", "/usage", "Usage and cost"),
        ("Pipeline", "/pipeline", "Pipeline"),
        ("Tenants and users", "/tenants", "Tenants and users"),
        ("Providers", "/providers", "Providers"),
        ("System health", "/system-health", "System health"),
        ("Retention", "/retention", "Retention"),
        ("Feedback", "/feedback", "Feedback"),
    ];
}
