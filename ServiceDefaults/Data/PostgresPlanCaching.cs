using Npgsql;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Npgsql's automatic preparation: each statement text's plan stays on the connection once it has been used
/// <see cref="MinUsages"/> times, so a statement is parsed and planned once per connection, not per call. That
/// matters for AuditService's reads (planning spans every monthly × category partition) and for the Api, whose
/// every unit of work starts with the same scope CALL. A connection string that sets <c>Max Auto Prepare</c>
/// (above 0) keeps its own.
/// </summary>
public static class PostgresPlanCaching
{
    /// <summary>Statement texts kept prepared per connection: the shapes in use, with room to spare.</summary>
    public const int MaxPrepared = 64;
    public const int MinUsages = 2;

    public static void Apply(NpgsqlConnectionStringBuilder connection)
    {
        if (connection.MaxAutoPrepare == 0)
        {
            connection.MaxAutoPrepare = MaxPrepared;
            connection.AutoPrepareMinUsages = MinUsages;
        }
    }
}
