namespace Observability.Tests;

/// <summary>Paths of the repo's observability files, found from the test's output folder.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    public static IEnumerable<string> Files(string folder, params string[] extensions) =>
        Directory.EnumerateFiles(PathOf(folder), "*", SearchOption.AllDirectories)
            .Where(f => extensions.Contains(Path.GetExtension(f)))
            .Order();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Aspire.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Aspire.sln not found above the test output folder.");
    }
}
