using System.Diagnostics;

namespace Observability.Tests;

/// <summary>A checker of the stack's own (promtool, amtool), run in the repository's root on the repo's files.</summary>
public static class RepoTool
{
    public static Task<(int ExitCode, string Output)> PromtoolAsync(params string[] arguments) => RunAsync("promtool", arguments);

    public static Task<(int ExitCode, string Output)> AmtoolAsync(params string[] arguments) => RunAsync("amtool", arguments);

    private static async Task<(int ExitCode, string Output)> RunAsync(string tool, string[] arguments)
    {
        var info = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Repository.Root,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
