using System.Diagnostics;
using Npgsql;

namespace AppHost.Postgres;

/// <summary>
/// A PostgreSQL cluster made from the machine's binaries: created once in a data folder, served on 127.0.0.1
/// only (no Unix socket) with password authentication, and stopped with a fast shutdown so it always ends
/// "shut down" rather than in crash recovery. The server runs as a child process in a session of its own, so a
/// terminal's Ctrl+C reaches the AppHost first and the AppHost decides when the database stops (after the
/// services that use it). Used by the AppHost (kept between runs) and by the tests (throwaway).
/// </summary>
public sealed class PostgresCluster(PostgresBinaries binaries, string directory, int port, string superuserPassword)
{
    public const string Superuser = "postgres";

    private Process? _server;

    public string Directory => directory;
    public string DataDirectory => Path.Combine(directory, "data");
    public int Port => port;

    /// <summary>Where the server's own log lines go; the tests leave it unset and read nothing.</summary>
    public Action<string, bool>? Output { get; init; }

    public string ConnectionString(string database = "postgres") =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Database = database,
            Username = Superuser,
            Password = superuserPassword,
            // The host's own connections are never pooled: an idle pooled connection would keep the server busy.
            Pooling = false,
        }.ConnectionString;

    public bool Exists => File.Exists(Path.Combine(DataDirectory, "PG_VERSION"));

    public async Task StartAsync(CancellationToken ct)
    {
        if (!Exists)
        {
            await InitializeAsync(ct);
        }

        // A server left running by an earlier run that was killed is stopped first, so this run owns it.
        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            await RunAsync(binaries.PgCtl, ct, "-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "stop");
        }

        _server = Launch(binaries.Postgres, "-D", DataDirectory, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await WaitUntilAcceptingAsync(ct);
    }

    /// <summary>
    /// A fast shutdown (SIGINT): clients are disconnected, a checkpoint is written and the cluster ends
    /// "shut down". PostgreSQL's answer to SIGTERM, a smart shutdown, would wait for every client to leave.
    /// </summary>
    public async Task StopAsync()
    {
        if (_server is { HasExited: false } server)
        {
            Signals.Interrupt(server.Id);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await server.WaitForExitAsync(timeout.Token);
        }
        else if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            await RunAsync(binaries.PgCtl, CancellationToken.None, "-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "stop");
        }

        _server?.Dispose();
        _server = null;
    }

    /// <summary>What pg_controldata says of the cluster, e.g. "shut down" or "in production".</summary>
    public async Task<string> StateAsync(CancellationToken ct)
    {
        var output = await RunAsync(binaries.PgControlData, ct, "-D", DataDirectory);
        return output.Split('\n').Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Trim() == "Database cluster state")
            .Select(p => p[1].Trim()).FirstOrDefault() ?? "unknown";
    }

    /// <summary>
    /// Sets the superuser's password from the one given, in single-user mode with the server stopped: for a cluster
    /// kept in the data folder whose password was generated again (the AppHost's user secrets were cleared).
    /// </summary>
    public async Task ResetSuperuserPasswordAsync(CancellationToken ct)
    {
        await StopAsync();
        var (file, args) = binaries.Command(binaries.Postgres, "--single", "-D", DataDirectory, Superuser);
        var info = StartInfo(file, args);
        info.RedirectStandardInput = true;
        using var process = Process.Start(info)!;
        await process.StandardInput.WriteLineAsync($"ALTER ROLE {Superuser} PASSWORD '{superuserPassword.Replace("'", "''", StringComparison.Ordinal)}';");
        process.StandardInput.Close();
        await Task.WhenAll(process.StandardOutput.ReadToEndAsync(ct), process.StandardError.ReadToEndAsync(ct), process.WaitForExitAsync(ct));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"Resetting the superuser password failed ({process.ExitCode}).");
        }
    }

    private async Task InitializeAsync(CancellationToken ct)
    {
        System.IO.Directory.CreateDirectory(directory);
        GiveToPostgresUser(directory);
        var passwordFile = Path.Combine(directory, ".pwfile");
        await File.WriteAllTextAsync(passwordFile, superuserPassword, ct);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

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
            logging_collector = off
            """, ct);
    }

    private async Task WaitUntilAcceptingAsync(CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (_server!.HasExited)
            {
                throw new InvalidOperationException($"postgres exited with code {_server.ExitCode} while starting; see its log above.");
            }

            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString());
                await connection.OpenAsync(ct);
                return;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidPassword)
            {
                throw;
            }
            catch (Exception ex) when (ex is NpgsqlException or PostgresException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, ct);
            }
        }
    }

    /// <summary>The server in a session of its own (setsid), as the postgres OS user when this runs as root.</summary>
    private Process Launch(string binary, params string[] arguments)
    {
        var (file, args) = binaries.Command(binary, arguments);
        var info = StartInfo("setsid", [file, .. args]);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { Output?.Invoke(e.Data, false); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Output?.Invoke(e.Data, true); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static ProcessStartInfo StartInfo(string file, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        return info;
    }

    private static void GiveToPostgresUser(string path)
    {
        if (PostgresBinaries.RunningAsRoot)
        {
            using var chown = Process.Start(StartInfo("chown", ["-R", "postgres:postgres", path]))!;
            chown.WaitForExit();
        }
    }

    private async Task<string> RunAsync(string binary, CancellationToken ct, params string[] arguments)
    {
        var (file, args) = binaries.Command(binary, arguments);
        using var process = Process.Start(StartInfo(file, args))!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(binary)} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await stderr}{await stdout}".Trim());
        }

        return await stdout;
    }
}
