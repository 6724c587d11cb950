namespace AuditService.Export;

public sealed class ExportOptions
{
    public const string SectionName = "Export";

    /// <summary>The rate one export is paced to, so a large export never starves the writer.</summary>
    [Range(100, 10_000_000)]
    public int MaxRowsPerSecond { get; set; } = 250_000;

    /// <summary>Exports running at once; more answer 429.</summary>
    [Range(1, 64)]
    public int MaxConcurrent { get; set; } = 2;
}
