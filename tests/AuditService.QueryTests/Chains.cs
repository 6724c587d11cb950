using AuditService.Data;
using Npgsql;

namespace AuditService.QueryTests;

/// <summary>Events and SQL for tests that build or tamper with chains as a database superuser.</summary>
public static class Chains
{
    public static AuditEvent Event(Guid tenant, DateTimeOffset at, string category = "audit", string action = "lead.created") =>
        new(Guid.CreateVersion7(), tenant, Microseconds.Truncate(at), "human", "ada", "Ada", null, action, category, "info",
            "lead", "42", null, $"{action} at {at:O}", null, "{\"stage\":\"won\"}", null, null, null, null, null, "0af7651916cd43dd8448eb211c80319c", null, "tests");

    public static async Task<int> SqlAsync(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteNonQueryAsync();
    }

    public static async Task<T> ScalarAsync<T>(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }

    public static DateTimeOffset MonthStart(int monthsAgo)
    {
        var now = DateTimeOffset.UtcNow;
        return new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(-monthsAgo);
    }
}
