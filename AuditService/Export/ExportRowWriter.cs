namespace AuditService.Export;

/// <summary>Writes the row the reader is on (columns as in <see cref="Queries.AuditQueryReader.Columns"/>) as one line of the export.</summary>
public abstract class ExportRowWriter : IDisposable
{
    public abstract void Write(NpgsqlDataReader row);

    public virtual void Dispose()
    {
    }
}
