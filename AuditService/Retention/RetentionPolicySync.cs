namespace AuditService.Retention;

/// <summary>
/// Writes the configured retention (Retention:Days) into retention_policies as the schema owner, once at start-up
/// after the migrations, so that the database itself refuses to drop what the configuration keeps. The application
/// role only reads that table: nothing it runs can shorten a retention.
/// </summary>
public sealed partial class RetentionPolicySync(IConfiguration configuration, IOptions<RetentionOptions> options, ILogger<RetentionPolicySync> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var owner = configuration.GetConnectionString("auditdb-owner") ?? configuration.GetConnectionString("auditdb");
        var days = options.Value.Days;
        await using var connection = new NpgsqlConnection(owner);
        await connection.OpenAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand(
            """
            DELETE FROM retention_policies WHERE category <> ALL (@categories);
            INSERT INTO retention_policies (category, keep_days) SELECT * FROM unnest(@categories, @days)
            ON CONFLICT (category) DO UPDATE SET keep_days = excluded.keep_days;
            """, connection, tx))
        {
            command.Parameters.AddWithValue("categories", days.Keys.ToArray());
            command.Parameters.AddWithValue("days", days.Values.ToArray());
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        LogApplied(logger, string.Join(", ", days.Select(d => $"{d.Key} {d.Value} days")));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention policies in the database: {Policies}")]
    private static partial void LogApplied(ILogger logger, string policies);
}
