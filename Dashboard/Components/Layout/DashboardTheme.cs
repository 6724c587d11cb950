namespace Dashboard.Components.Layout;

public static class DashboardTheme
{
    // System fonts only: the app must work with no internet access, and loads nothing from elsewhere.
    public static readonly MudTheme Theme = new()
    {
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"] },
        },
        PaletteLight = new PaletteLight { Primary = "#3949ab", Secondary = "#546e7a", AppbarBackground = "#1f2937" },
        PaletteDark = new PaletteDark { Primary = "#8c9eff", Secondary = "#90a4ae" },
    };
}
