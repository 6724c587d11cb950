namespace AuditIngest.Bench;

/// <summary>
/// CPU seconds (user + system, from /proc) spent by the benchmark itself, by AuditService, and by the
/// PostgreSQL cluster (the postmaster and every backend it forked, running or ended), so a run can say where each
/// event's CPU went.
/// </summary>
public sealed class CpuMeter(string postgresDataDirectory, int? servicePid)
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    public readonly record struct Sample(double Bench, double Service, double Postgres);

    public Sample Read()
    {
        var postmaster = int.Parse(File.ReadLines(Path.Combine(postgresDataDirectory, "postmaster.pid")).First(), System.Globalization.CultureInfo.InvariantCulture);
        double postgres = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && Stat(pid) is { } stat && (pid == postmaster || stat.Parent == postmaster))
            {
                // The postmaster's own figure includes the backends that have ended (it reaps them), so the
                // short-lived connections of the raw and naive ways are counted too.
                postgres += stat.Seconds + (pid == postmaster ? stat.ReapedChildren : 0);
            }
        }

        var service = servicePid is { } id && Stat(id) is { } s ? s.Seconds : 0;
        return new Sample(Stat(Environment.ProcessId)?.Seconds ?? 0, service, postgres);
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
