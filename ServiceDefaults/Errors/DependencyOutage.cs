using System.Net.Sockets;
using Npgsql;
using Polly;

namespace Microsoft.Extensions.Hosting;

/// <summary>Which exceptions mean "a dependency is down or overloaded" (answered 503, retry later) rather than a bug (500).</summary>
public static class DependencyOutage
{
    /// <summary>Seconds a client is asked to wait before retrying after a dependency outage.</summary>
    public const int RetryAfterSeconds = 5;

    /// <summary>The dependency that failed ("database", "upstream service"), or null when the exception is not an outage.</summary>
    public static string? Of(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                // A server error is an outage only when PostgreSQL says it is transient (shutdown, too many connections,
                // deadlock, serialisation); a connection-level NpgsqlException (no server error) always is.
                case PostgresException postgres:
                    return postgres.IsTransient ? "database" : null;
                case NpgsqlException:
                    return "database";
                case HttpRequestException or ExecutionRejectedException:
                    return "upstream service";
                case SocketException or TimeoutException:
                    return "dependency";
            }
        }

        return null;
    }
}
