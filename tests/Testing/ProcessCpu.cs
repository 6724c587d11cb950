namespace Testing;

/// <summary>CPU seconds (user + system) that processes have used, read from /proc; benchmarks say where the work went.</summary>
public static class ProcessCpu
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux

    /// <summary>The process's own CPU time, or 0 when it has ended.</summary>
    public static double Seconds(int pid) => Stat(pid)?.Seconds ?? 0;

    /// <summary>
    /// The PostgreSQL cluster's CPU time: the postmaster and every backend it forked, running or ended (the postmaster's
    /// figure includes the backends it has reaped, so short-lived connections count too).
    /// </summary>
    public static double PostgresSeconds(string dataDirectory)
    {
        var postmaster = int.Parse(File.ReadLines(Path.Combine(dataDirectory, "postmaster.pid")).First(), System.Globalization.CultureInfo.InvariantCulture);
        double total = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && Stat(pid) is { } stat && (pid == postmaster || stat.Parent == postmaster))
            {
                total += stat.Seconds + (pid == postmaster ? stat.ReapedChildren : 0);
            }
        }

        return total;
    }

    private static (int Parent, double Seconds, double ReapedChildren)? Stat(int pid)
    {
        try
        {
            // The command name may hold spaces and parentheses; the fields after its closing ')' are fixed.
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            var parent = int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
            long Field(int i) => long.Parse(fields[i], System.Globalization.CultureInfo.InvariantCulture);
            return (parent, (Field(11) + Field(12)) / TicksPerSecond, (Field(13) + Field(14)) / TicksPerSecond);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return null; // the process ended meanwhile
        }
    }
}
