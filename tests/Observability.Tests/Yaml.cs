using YamlDotNet.RepresentationModel;

namespace Observability.Tests;

/// <summary>Small helpers over YamlDotNet's representation model.</summary>
public static class Yaml
{
    public static YamlMappingNode Load(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    public static YamlNode? Child(this YamlNode? node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public static IEnumerable<YamlNode> Items(this YamlNode? node) =>
        node is YamlSequenceNode sequence ? sequence.Children : [];

    public static string? Text(this YamlNode? node) => (node as YamlScalarNode)?.Value;

    /// <summary>Every scalar under a key with the given name, at any depth.</summary>
    public static IEnumerable<string> ValuesOf(this YamlNode node, string key) => node switch
    {
        YamlMappingNode map => map.Children.SelectMany(kv =>
            (kv.Key.Text() == key && kv.Value.Text() is { } text ? [text] : Enumerable.Empty<string>())
                .Concat(kv.Value.ValuesOf(key))),
        YamlSequenceNode sequence => sequence.Children.SelectMany(c => c.ValuesOf(key)),
        _ => [],
    };
}
