using Npgsql;

namespace AuditService.Queries;

/// <summary>
/// The read queries span every monthly × category partition and its indexes, and planning them costs more than
/// running them. Npgsql's automatic preparation keeps each statement text's plan on the connection once it has
/// been used <see cref="MinUsages"/> times. A connection string that sets <c>Max Auto Prepare</c> (above 0) keeps its own.
/// </summary>
public static class PlanCaching
{
    /// <summary>Statement texts kept prepared per connection: the filter shapes in use, with room to spare.</summary>
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
