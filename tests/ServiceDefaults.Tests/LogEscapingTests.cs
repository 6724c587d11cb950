using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace ServiceDefaults.Tests;

/// <summary>No value in a log entry can start a console line of its own.</summary>
public sealed class LogEscapingTests
{
    [Fact]
    public void ControlCharactersInMessagesScopesAndExceptionMessagesAreEscaped()
    {
        var forged = "garbage\r\nauditservice | crit: FORGED\u001b[31m\u2028x";
        var formatter = new EscapingConsoleFormatter(new Monitor(new SimpleConsoleFormatterOptions { IncludeScopes = true }));
        var scopes = new LoggerExternalScopeProvider();
        using var scope = scopes.Push($"scope {forged}");
        Exception exception;
        try
        {
            throw new InvalidOperationException($"bad value {forged}");
        }
        catch (InvalidOperationException ex)
        {
            exception = ex;
        }

        using var output = new StringWriter();
        formatter.Write(new LogEntry<string>(LogLevel.Warning, "Tests", new EventId(7), $"from={forged}", exception, (s, _) => s), scopes, output);

        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("warn: Tests[7]", lines[0]);
        Assert.All(lines.Skip(1), line => Assert.StartsWith("      ", line));
        Assert.DoesNotContain(lines, line => line.StartsWith("auditservice", StringComparison.Ordinal) || line.Contains('\u001b') || line.Contains('\u2028'));
        Assert.Equal(3, lines.Count(line => line.Contains("garbage\\r\\nauditservice | crit: FORGED\\u001b[31m\\u2028x", StringComparison.Ordinal)));
    }

    private sealed class Monitor(SimpleConsoleFormatterOptions value) : IOptionsMonitor<SimpleConsoleFormatterOptions>
    {
        public SimpleConsoleFormatterOptions CurrentValue => value;
        public SimpleConsoleFormatterOptions Get(string? name) => value;
        public IDisposable? OnChange(Action<SimpleConsoleFormatterOptions, string?> listener) => null;
    }
}
