using System.Runtime.InteropServices;

namespace AppHost.Postgres;

/// <summary>Finds the machine's PostgreSQL server binaries, and whether they must run as the postgres user.</summary>
public sealed partial record PostgresBinaries(string BinDirectory)
{
    public const string InstallHint =
        "PostgreSQL is not installed. On Debian/Ubuntu: sudo apt-get install -y postgresql " +
        "(or point the AppHost at a server with ConnectionStrings__postgres=\"Host=...;Username=...;Password=...\").";

    public string InitDb => Path.Combine(BinDirectory, "initdb");
    public string PgCtl => Path.Combine(BinDirectory, "pg_ctl");
    public string Postgres => Path.Combine(BinDirectory, "postgres");
    public string PgControlData => Path.Combine(BinDirectory, "pg_controldata");

    /// <summary>initdb and postgres refuse to run as root; as root they run as the postgres OS user.</summary>
    public static bool RunningAsRoot => !OperatingSystem.IsWindows() && GetEuid() == 0;

    /// <summary>The binaries in <paramref name="configured"/> (or $PG_BIN) only, when given; otherwise the usual places.</summary>
    public static PostgresBinaries? Find(string? configured = null)
    {
        // An explicit folder is the only place looked at: the operator said where PostgreSQL is.
        if ((configured ?? Environment.GetEnvironmentVariable("PG_BIN")) is { Length: > 0 } explicitBin)
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

    /// <summary>
    /// The command line that runs a server binary as the right user. setpriv executes the binary in its own
    /// process (runuser would stay in between and turn every signal into SIGTERM).
    /// </summary>
    public (string FileName, string[] Arguments) Command(string binary, params string[] arguments) =>
        RunningAsRoot ? ("setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", binary, .. arguments]) : (binary, arguments);

    /// <summary>
    /// Whether the user the server runs as can enter <paramref name="directory"/>: as root, a clone under /root or in a
    /// mktemp folder is closed to the postgres user, and the cluster has to live elsewhere.
    /// </summary>
    public bool ServerUserCanEnter(string directory)
    {
        if (!RunningAsRoot)
        {
            return true;
        }

        var (file, args) = Command("/usr/bin/test", "-x", directory);
        using var test = System.Diagnostics.Process.Start(file, args);
        test.WaitForExit();
        return test.ExitCode == 0;
    }

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEuid();
}
