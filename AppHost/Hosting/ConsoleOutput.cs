namespace AppHost.Hosting;

/// <summary>Writes each resource's lines prefixed with its name, one whole line at a time.</summary>
public sealed class ConsoleOutput(TextWriter writer)
{
    private static readonly ConsoleColor[] Palette =
        [ConsoleColor.Cyan, ConsoleColor.Green, ConsoleColor.Magenta, ConsoleColor.Yellow, ConsoleColor.Blue, ConsoleColor.DarkCyan];

    private readonly Lock _gate = new();
    private readonly Dictionary<string, ConsoleColor> _colors = [];
    private readonly bool _color = !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null;

    public int PrefixWidth { get; set; } = 12;

    public void Line(string source, string text)
    {
        lock (_gate)
        {
            if (_color)
            {
                if (!_colors.TryGetValue(source, out var color))
                {
                    color = Palette[_colors.Count % Palette.Length];
                    _colors[source] = color;
                }

                Console.ForegroundColor = color;
            }

            writer.Write(source.PadRight(PrefixWidth));
            writer.Write("| ");
            if (_color)
            {
                Console.ResetColor();
            }

            writer.WriteLine(text);
            writer.Flush();
        }
    }

    public void Host(string text) => Line("apphost", text);

    public void Block(string text)
    {
        lock (_gate)
        {
            writer.WriteLine(text);
            writer.Flush();
        }
    }
}
