using Npgsql;

namespace Tenancy;

public static class CommandExtensions
{
    /// <summary>Every row the command returns, each made by <paramref name="row"/>, in the order the query gives.</summary>
    public static async Task<List<T>> ReadListAsync<T>(this NpgsqlCommand command, Func<NpgsqlDataReader, T> row, CancellationToken ct)
    {
        var list = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            list.Add(row(reader));
        }

        return list;
    }
}
