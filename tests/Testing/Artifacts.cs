namespace Testing;

/// <summary>Where tests write what a person would want to look at afterwards (screenshots): TestResults/artifacts.</summary>
public static class Artifacts
{
    public static string Directory
    {
        get
        {
            var root = Environment.GetEnvironmentVariable("TEST_ARTIFACTS");
            if (string.IsNullOrEmpty(root))
            {
                var dir = new DirectoryInfo(AppContext.BaseDirectory);
                while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Aspire.sln")))
                {
                    dir = dir.Parent;
                }

                root = Path.Combine(dir?.FullName ?? Path.GetTempPath(), "TestResults", "artifacts");
            }

            System.IO.Directory.CreateDirectory(root);
            return root;
        }
    }
}
