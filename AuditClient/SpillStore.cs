using System.Text.Json;
using Audit.Contracts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Audit.Client;

/// <summary>
/// The bounded on-disk queue. Each batch is one file, written to a temp name, flushed to the device and
/// renamed, so a crash leaves either the whole batch or nothing. Files are named by creation time, so the
/// oldest is replayed first, and are deleted only after AuditService acknowledged their events.
/// Files left by an earlier run of the process are picked up at start.
/// </summary>
internal sealed partial class SpillStore
{
    private const string Extension = ".json";
    private readonly Lock _lock = new();
    private readonly SortedDictionary<string, long> _files = new(StringComparer.Ordinal);
    private readonly AuditClientMetrics _metrics;
    private readonly ILogger<SpillStore> _logger;
    private readonly long _maxBytes;
    private long _bytes;

    public SpillStore(IOptions<AuditClientOptions> options, AuditClientMetrics metrics, ILogger<SpillStore> logger)
    {
        _metrics = metrics;
        _logger = logger;
        _maxBytes = options.Value.MaxSpillBytes;
        Directory = options.Value.SpillDirectory ?? throw new InvalidOperationException("AuditClient:SpillDirectory is not set.");
        System.IO.Directory.CreateDirectory(Directory);
        foreach (var leftover in System.IO.Directory.EnumerateFiles(Directory, "*.tmp"))
        {
            File.Delete(leftover); // a write cut short by a crash: never acknowledged as spilled
        }

        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*" + Extension))
        {
            var size = new FileInfo(file).Length;
            _files[file] = size;
            _bytes += size;
        }

        if (_files.Count > 0)
        {
            LogFoundPending(_logger, _files.Count, Directory);
        }

        metrics.ObserveSpill(() => Volatile.Read(ref _bytes));
    }

    public string Directory { get; }

    public bool HasPending
    {
        get
        {
            lock (_lock)
            {
                return _files.Count > 0;
            }
        }
    }

    /// <summary>Writes the batch durably; false (and the events counted as dropped) when the disk cap is reached.</summary>
    public bool TryAppend(IReadOnlyList<AuditEventDto> events)
    {
        if (events.Count == 0)
        {
            return true;
        }

        var bytes = JsonSerializer.SerializeToUtf8Bytes(events, AuditJson.Options);
        lock (_lock)
        {
            if (_bytes + bytes.Length > _maxBytes)
            {
                _metrics.Dropped(events.Count);
                LogDiskCapReached(_logger, events.Count, _maxBytes, Directory);
                return false;
            }

            _bytes += bytes.Length;
        }

        var path = Path.Combine(Directory, $"{DateTime.UtcNow.Ticks:D19}-{Guid.NewGuid():N}{Extension}");
        try
        {
            var temp = path + ".tmp";
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path);
        }
        catch (IOException ex)
        {
            lock (_lock)
            {
                _bytes -= bytes.Length;
            }

            _metrics.Dropped(events.Count);
            LogWriteFailed(_logger, ex, events.Count, Directory);
            return false;
        }

        lock (_lock)
        {
            _files[path] = bytes.Length;
        }

        _metrics.Spilled(events.Count);
        return true;
    }

    /// <summary>The oldest spilled batch, or null when none is pending (or it is unreadable and set aside).</summary>
    public (string Path, List<AuditEventDto> Events)? Oldest()
    {
        string path;
        lock (_lock)
        {
            if (_files.Count == 0)
            {
                return null;
            }

            path = _files.First().Key;
        }

        try
        {
            var events = JsonSerializer.Deserialize<List<AuditEventDto>>(File.ReadAllBytes(path), AuditJson.Options) ?? [];
            return (path, events);
        }
        catch (Exception ex) when (ex is JsonException or IOException)
        {
            // Kept for a human to look at, but out of the way of the batches behind it.
            LogUnreadable(_logger, ex, path);
            Forget(path);
            File.Move(path, path + ".unreadable", overwrite: true);
            return null;
        }
    }

    /// <summary>Deletes a batch AuditService has acknowledged.</summary>
    public void Remove(string path)
    {
        File.Delete(path);
        Forget(path);
    }

    private void Forget(string path)
    {
        lock (_lock)
        {
            if (_files.Remove(path, out var size))
            {
                _bytes -= size;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Found {Count} spilled audit batches in {Directory}; replaying them")]
    private static partial void LogFoundPending(ILogger logger, int count, string directory);

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit spill folder {Directory} is at its cap of {MaxBytes} bytes: {Count} events dropped")]
    private static partial void LogDiskCapReached(ILogger logger, int count, long maxBytes, string directory);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not spill {Count} audit events to {Directory}: dropped")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, int count, string directory);

    [LoggerMessage(Level = LogLevel.Error, Message = "Spilled audit batch {Path} is unreadable; set aside")]
    private static partial void LogUnreadable(ILogger logger, Exception exception, string path);
}
