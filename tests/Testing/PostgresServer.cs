using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using AppHost.Postgres;
using Npgsql;
using Xunit;

namespace Testing;

/// <summary>
/// A throwaway PostgreSQL cluster for one test assembly: created from the machine's binaries in a temp
/// folder on a free loopback port, shared by the assembly's tests, stopped and deleted at the end.
/// Each test class asks for its own database, provisioned with the same owner/app roles as the AppHost's.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"pgtest-{Environment.ProcessId}-{Guid.NewGuid():N}"[..28]);
    private PostgresCluster? _cluster;
    private int _databases;

    public PostgresCluster Cluster => _cluster ?? throw new InvalidOperationException("Not started.");

    public string AdminConnectionString(string database = "postgres") => Cluster.ConnectionString(database);

    /// <summary>
    /// A cluster of the caller's own, started (stopped and removed again should it fail to start). A free port can be
    /// taken by another test process before PostgreSQL binds it, so a failed start is tried again on a new port.
    /// </summary>
    public static async Task<PostgresServer> StartAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            var server = new PostgresServer();
            try
            {
                await server.InitializeAsync();
                return server;
            }
            catch (InvalidOperationException) when (attempt < 3 && PostgresBinaries.Find() is not null)
            {
                await server.DisposeAsync();
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        }
    }

    public async ValueTask InitializeAsync()
    {
        var binaries = PostgresBinaries.Find() ?? throw new InvalidOperationException(PostgresBinaries.InstallHint);
        _cluster = new PostgresCluster(binaries, _directory, FreePort(), Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
        await _cluster.StartAsync(CancellationToken.None);
    }

    /// <summary>A new database with its owner and least-privileged app roles; the connection strings are the app's and the owner's.</summary>
    public async Task<TestDatabase> CreateDatabaseAsync(string prefix)
    {
        var name = $"{prefix}_{Interlocked.Increment(ref _databases)}";
        var roles = new PostgresProvisioner.DatabaseRoles($"{name}_owner", Secret(), $"{name}_app", Secret());
        await PostgresProvisioner.ProvisionAsync(AdminConnectionString(), name, roles, CancellationToken.None);
        string Connection(string user, string password) => new NpgsqlConnectionStringBuilder(Cluster.ConnectionString(name))
        {
            Username = user,
            Password = password,
            // The services pool their connections; only the cluster's own admin connection is unpooled.
            Pooling = true,
        }.ConnectionString;
        return new TestDatabase(name, Connection(roles.AppRole, roles.AppPassword), Connection(roles.OwnerRole, roles.OwnerPassword),
            AdminConnectionString(name), roles.AppRole);
    }

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.StopAsync();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the temp folder is cleaned by the OS otherwise.
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Secret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}

/// <summary>A database for one test class: App is the service's connection, Owner migrates, Admin is a superuser (for tamper tests).</summary>
public sealed record TestDatabase(string Name, string App, string Owner, string Admin, string AppRole);
