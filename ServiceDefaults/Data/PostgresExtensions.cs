using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Microsoft.Extensions.Hosting;

public static class PostgresExtensions
{
    /// <summary>
    /// Registers the service's database: an <see cref="NpgsqlDataSource"/> for the least-privileged
    /// application role (ConnectionStrings:{name}), a readiness check, and versioned migrations that run
    /// once at start-up as the schema owner (ConnectionStrings:{name}-owner). <paramref name="configure"/> may
    /// adjust the application role's connection settings (e.g. statement preparation) before the data source is built.
    /// </summary>
    public static TBuilder AddPostgresDatabase<TBuilder>(this TBuilder builder, string name, Type migrationsAssemblyMarker,
        Action<NpgsqlConnectionStringBuilder>? configure = null)
        where TBuilder : IHostApplicationBuilder
    {
        var connectionString = builder.Configuration.GetConnectionString(name);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{name} is not configured. Run the system with `dotnet run --project AppHost`, " +
                $"or set ConnectionStrings__{name}.");
        }

        var ownerConnectionString = builder.Configuration.GetConnectionString($"{name}-owner") ?? connectionString;

        // Npgsql logs every command it runs at Information; its spans and metrics already say that, and an idle queue's
        // polls would write a line a second. Its warnings and errors are still logged.
        builder.Logging.AddFilter("Npgsql", LogLevel.Warning);

        // Aspire's client integration: the data source, and Npgsql's traces and metrics. Its health check is named
        // "PostgreSql" and untagged; ours is named after the database, so /health says which one is down.
        builder.AddNpgsqlDataSource(name, settings => settings.DisableHealthChecks = true, dataSource =>
        {
            dataSource.Name = name;
            configure?.Invoke(dataSource.ConnectionStringBuilder);
            // A command is traced only inside an operation's span. Polls and gauges of background loops (an idle
            // queue asks every second) would otherwise each start a root trace of one span; work that matters opens
            // a span of its own first, and its commands show inside it.
            // The first-response event adds an event to every command's span that says little for short queries.
            // A physical open has no filter: the pool opens connections for background loops too, each a root trace of
            // one span. Its time is in Npgsql's metrics (db.client.connection.npgsql.create_time) and in the first command's.
            dataSource.ConfigureTracing(tracing => tracing
                .EnableFirstResponseEvent(false)
                .EnablePhysicalOpenTracing(false)
                .ConfigureCommandFilter(_ => Activity.Current is not null)
                .ConfigureBatchFilter(_ => Activity.Current is not null));
        });
        builder.Services.AddSingleton(sp => new DatabaseMigrator(
            ownerConnectionString,
            new NpgsqlConnectionStringBuilder(connectionString).Username
                ?? throw new InvalidOperationException($"ConnectionStrings:{name} names no user."),
            migrationsAssemblyMarker.Assembly,
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<DatabaseMigrator>>()));
        builder.Services.AddHostedService<MigrationHostedService>();

        builder.Services.AddHealthChecks().AddNpgSql(
            sp => sp.GetRequiredService<NpgsqlDataSource>(),
            name: name,
            failureStatus: HealthStatus.Unhealthy,
            tags: ["ready", "db"]);
        return builder;
    }
}
