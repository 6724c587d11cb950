using Microsoft.Extensions.Logging;

namespace AppHost;

/// <summary>What the AppHost writes to its resources' logs (the Aspire dashboard's console view of each).</summary>
public static partial class AppHostLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "{Line}")]
    public static partial void ServerOutput(this ILogger logger, string line);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Note}")]
    public static partial void Note(this ILogger logger, string note);

    [LoggerMessage(Level = LogLevel.Information, Message = "Creating a PostgreSQL cluster in {Directory} (first run)")]
    public static partial void CreatingCluster(this ILogger logger, string directory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The cluster's superuser password is not the AppHost's (were its user secrets cleared?); setting it again")]
    public static partial void ResettingSuperuserPassword(this ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database {Database} ready: owner {Owner}, application role {App}")]
    public static partial void DatabaseReady(this ILogger logger, string database, string owner, string app);

    [LoggerMessage(Level = LogLevel.Error, Message = "Failed to start: {Reason}")]
    public static partial void FailedToStart(this ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Traffic {State}")]
    public static partial void TrafficState(this ILogger logger, string state);
}
