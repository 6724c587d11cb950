using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Api.FunctionalTests;

/// <summary>Every log line (message, state and scopes) and every finished span the Api produces, as text to search.</summary>
public sealed class CapturedTelemetry : ILoggerProvider
{
    public ConcurrentQueue<string> Logs { get; } = new();
    public List<Activity> Spans { get; } = [];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public IEnumerable<string> SpanTexts()
    {
        // The in-memory exporter appends from its own thread without our lock: copy first, retrying a torn copy.
        Activity[] spans;
        while (true)
        {
            try
            {
                lock (Spans)
                {
                    spans = [.. Spans];
                }

                break;
            }
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
            {
                Thread.Sleep(10);
            }
        }

        return [.. spans.Select(s => string.Join(" ",
            new[] { s.DisplayName, s.StatusDescription ?? "" }
                .Concat(s.TagObjects.Select(t => $"{t.Key}={t.Value}"))
                .Concat(s.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name}:{t.Key}={t.Value}")))
                .Concat(s.Baggage.Select(b => $"{b.Key}={b.Value}"))))];
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
