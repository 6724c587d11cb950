namespace AuditService.Export;

/// <summary>How many exports may run at once.</summary>
public sealed class ExportSlots(IOptions<ExportOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.Value.MaxConcurrent);

    public bool TryTake() => _slots.Wait(0);

    public void Release() => _slots.Release();

    public void Dispose() => _slots.Dispose();
}
