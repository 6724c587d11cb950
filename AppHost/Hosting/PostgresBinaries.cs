using System.Runtime.InteropServices;

namespace AppHost.Hosting;

/// <summary>Finds the machine's PostgreSQL server binaries, and whether they must run as the postgres user.</summary>
public sealed partial record PostgresBinaries(string BinDirectory)
{
    public const string InstallHint =
        "PostgreSQL is not installed. On Debian/Ubuntu: sudo apt-get install -y postgresql " +
        "(or point the AppHost at a server with ConnectionStrings__postgres=\"Host=...;Username=...;Password=...\").";

    public string InitDb => Path.Combine(BinDirectory, "initdb");
    public string PgCtl => Path.Combine(BinDirectory, "pg_ctl");

    /// <summary>initdb and postgres refuse to run as root; as root they run as the postgres OS user.</summary>
    public static bool RunningAsRoot => !OperatingSystem.IsWindows() && GetEuid() == 0;

    public static PostgresBinaries? Find()
    {
        // PG_BIN, when set, is the only place looked at: the operator said where PostgreSQL is.
        if (Environment.GetEnvironmentVariable("PG_BIN") is { Length: > 0 } explicitBin)
        {
            return File.Exists(Path.Combine(explicitBin, "initdb")) ? new PostgresBinaries(explicitBin) : null;
        }

        var candidates = new List<string>();

        if (Directory.Exists("/usr/lib/postgresql"))
        {
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                .Select(d => Path.Combine(d, "bin")));
        }

        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator));
        candidates.AddRange(["/usr/local/pgsql/bin", "/opt/homebrew/bin", "/usr/local/bin"]);
        var bin = candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
        return bin is null ? null : new PostgresBinaries(bin);
    }

    /// <summary>The command line that runs a server binary as the right user.</summary>
    public (string FileName, string[] Arguments) Command(string binary, params string[] arguments) =>
        RunningAsRoot ? ("runuser", ["-u", "postgres", "--", binary, .. arguments]) : (binary, arguments);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEuid();
}
