using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Api.FunctionalTests;

/// <summary>Every log line (message, state and scopes) and every finished span the Api produces, as text to search.</summary>
public sealed class CapturedTelemetry : ILoggerProvider
{
    public ConcurrentQueue<string> Logs { get; } = new();
    public List<Activity> Spans { get; } = [];

    /// <summary>Log records as the OpenTelemetry logger exports them over OTLP (with their trace and span ids).</summary>
    public List<OpenTelemetry.Logs.LogRecord> Exported { get; } = [];

    /// <summary>A copy of the spans exported so far.</summary>
    public IReadOnlyList<Activity> SpansNow() => Copy(Spans);

    /// <summary>A copy of the log records exported so far.</summary>
    public IReadOnlyList<OpenTelemetry.Logs.LogRecord> ExportedNow() => Copy(Exported);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public IEnumerable<string> SpanTexts() =>
        [.. SpansNow().Select(s => string.Join(" ",
            new[] { s.DisplayName, s.StatusDescription ?? "" }
                .Concat(s.TagObjects.Select(t => $"{t.Key}={t.Value}"))
                .Concat(s.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name}:{t.Key}={t.Value}")))
                .Concat(s.Baggage.Select(b => $"{b.Key}={b.Value}"))))];

    // The in-memory exporter appends from its own thread without our lock: copy, retrying a torn copy.
    private static T[] Copy<T>(List<T> items)
    {
        while (true)
        {
            try
            {
                lock (items)
                {
                    return [.. items];
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
            {
                Thread.Sleep(10);
            }
        }
    }

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedTelemetry sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            sink.Logs.Enqueue($"{category} scope {Describe(state)}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            sink.Logs.Enqueue($"{category} {formatter(state, exception)} {Describe(state)} {exception}");

        private static string Describe(object? state) => state is IEnumerable<KeyValuePair<string, object?>> pairs
            ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}"))
            : state?.ToString() ?? "";
    }
}
