using System.Diagnostics;
using Npgsql;

namespace AppHost.Hosting;

/// <summary>
/// A PostgreSQL cluster made from the machine's binaries: created once in a data folder, started on
/// 127.0.0.1 only (no Unix socket), password authentication, and stopped with a clean fast shutdown.
/// Used by the AppHost (kept between runs) and by the tests (throwaway).
/// </summary>
public sealed class PostgresCluster(PostgresBinaries binaries, string directory, int port, string superuserPassword)
{
    public const string Superuser = "postgres";

    public string DataDirectory => Path.Combine(directory, "data");
    public string LogFile => Path.Combine(directory, "postgres.log");
    public int Port => port;

    public string ConnectionString(string database = "postgres", string user = Superuser, string? password = null) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Database = database,
            Username = user,
            Password = password ?? superuserPassword,
        }.ConnectionString;

    public bool Exists => File.Exists(Path.Combine(DataDirectory, "PG_VERSION"));

    public async Task InitializeAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        GiveToPostgresUser(directory);
        var passwordFile = Path.Combine(directory, ".pwfile");
        await File.WriteAllTextAsync(passwordFile, superuserPassword, ct);
        GiveToPostgresUser(passwordFile);
        try
        {
            await RunAsync(binaries.InitDb, ct,
                "-D", DataDirectory, "-U", Superuser, "--pwfile", passwordFile, "-E", "UTF8", "--locale=C",
                "--auth-host=scram-sha-256", "--auth-local=scram-sha-256", "--no-instructions");
        }
        finally
        {
            File.Delete(passwordFile);
        }

        // Loopback only and no Unix socket: nothing outside this machine can connect, and the socket
        // folder's permissions never matter.
        await File.AppendAllTextAsync(Path.Combine(DataDirectory, "postgresql.conf"),
            $"""

            # Written by the AppHost.
            listen_addresses = '127.0.0.1'
            port = {port}
            unix_socket_directories = ''
            max_connections = 200
            shared_buffers = 256MB
            """, ct);
    }

    public async Task StartAsync(CancellationToken ct)
    {
        if (!Exists)
        {
            await InitializeAsync(ct);
        }

        // A server left running by an earlier run that was killed is stopped first, so the settings apply.
        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            await StopAsync();
        }

        await RunAsync(binaries.PgCtl, ct, "-D", DataDirectory, "-l", LogFile, "-w", "-t", "60",
            "-o", $"-p {port}", "start");
    }

    public async Task StopAsync()
    {
        if (!File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            return;
        }

        await RunAsync(binaries.PgCtl, CancellationToken.None, "-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "stop");
    }

    public async Task<bool> IsReadyAsync(CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync(ct);
        return true;
    }

    private void GiveToPostgresUser(string path)
    {
        if (PostgresBinaries.RunningAsRoot)
        {
            RunAsync("chown", CancellationToken.None, "-R", "postgres:postgres", path).GetAwaiter().GetResult();
        }
    }

    private async Task RunAsync(string binary, CancellationToken ct, params string[] arguments)
    {
        var (file, args) = binary.StartsWith('/') || binary.Contains(Path.DirectorySeparatorChar)
            ? binaries.Command(binary, arguments)
            : (binary, arguments);
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
        {
            var log = File.Exists(LogFile) ? string.Join('\n', File.ReadLines(LogFile).TakeLast(10)) : "";
            throw new InvalidOperationException(
                $"{Path.GetFileName(binary)} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await stderr}{await stdout}\n{log}".Trim());
        }
    }
}
