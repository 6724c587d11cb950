using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The console's format, one entry as the simple formatter lays it out ("info: Category[id]" then the indented
/// message), with every value that could come from a request escaped: CR, LF and other control characters in the
/// message, scopes and exception messages are written as \r, \n, \uXXXX. A log entry can therefore never start a
/// line of its own making, so no request can forge an entry (or an AppHost-prefixed line) in the console. Stack
/// frames are the only text written raw: the runtime produces them, not the caller. The built-in formatters are
/// sealed and write messages as they are, hence this one.
/// </summary>
public sealed class EscapingConsoleFormatter(IOptionsMonitor<SimpleConsoleFormatterOptions> options) : ConsoleFormatter(Name)
{
    public new const string Name = "escaped";
    private const string Indent = "      ";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
        {
            return;
        }

        var settings = options.CurrentValue;
        var line = new StringBuilder();
        if (settings.TimestampFormat is { } format)
        {
            var now = settings.UseUtcTimestamp ? DateTimeOffset.UtcNow : DateTimeOffset.Now;
            line.Append(now.ToString(format, System.Globalization.CultureInfo.InvariantCulture));
        }

        line.Append(Level(logEntry.LogLevel)).Append(": ");
        AppendEscaped(line, logEntry.Category);
        line.Append('[').Append(logEntry.EventId.Id).Append(']').Append(Environment.NewLine);
        if (settings.IncludeScopes && scopeProvider is not null)
        {
            var scopes = new StringBuilder();
            scopeProvider.ForEachScope((scope, sb) => AppendEscaped(sb.Append(sb.Length == 0 ? "" : " => "), scope?.ToString()), scopes);
            if (scopes.Length > 0)
            {
                line.Append(Indent).Append("=> ").Append(scopes).Append(Environment.NewLine);
            }
        }

        if (!string.IsNullOrEmpty(message))
        {
            AppendEscaped(line.Append(Indent), message).Append(Environment.NewLine);
        }

        for (var exception = logEntry.Exception; exception is not null; exception = exception.InnerException)
        {
            line.Append(Indent).Append(exception == logEntry.Exception ? "" : "---> ").Append(exception.GetType().FullName).Append(": ");
            AppendEscaped(line, exception.Message).Append(Environment.NewLine);
            foreach (var frame in (exception.StackTrace ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                line.Append(Indent).Append("   ").Append(frame).Append(Environment.NewLine);
            }
        }

        textWriter.Write(line.ToString());
    }

    /// <summary>Appends the text with control characters (and Unicode line and paragraph separators) escaped.</summary>
    public static StringBuilder AppendEscaped(StringBuilder builder, string? text)
    {
        foreach (var c in text ?? "")
        {
            switch (c)
            {
                case '\r': builder.Append("\\r"); break;
                case '\n': builder.Append("\\n"); break;
                case '\t': builder.Append('\t'); break;
                case var _ when char.IsControl(c) || c is '\u2028' or '\u2029':
                    builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    break;
                default: builder.Append(c); break;
            }
        }

        return builder;
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };
}
