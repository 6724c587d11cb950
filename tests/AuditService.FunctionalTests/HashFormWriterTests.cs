using System.Buffers;
using AuditService.Chain;

namespace AuditService.FunctionalTests;

/// <summary>
/// Every stored hash was computed over Utf8JsonWriter's output, so the hashed form's own string writing must give the
/// very same bytes for any text an event can hold.
/// </summary>
public sealed class HashFormWriterTests
{
    public static TheoryData<string> Texts()
    {
        var data = new TheoryData<string>
        {
            "",
            "plain text",
            """{"name":"Big deal","tags":["inbound","q3"],"value":1250.5}""",
            "<script>alert('x')</script> & a+b `c` \\ \" /",
            "line one\r\nline two\ttab \u0001\u001f\u007f",
            "Zoë \"Z\" O'Neil ✓ 日本語 😀",
            "mixed ascii then é at the end\"",
            "\ud83d\ude00 first, then <ascii>",
        };
        // Every printable ASCII character alone, and all of them in a row.
        for (var c = ' '; c <= '~'; c++)
        {
            data.Add(new string(c, 1));
        }

        data.Add(new string(Enumerable.Range(' ', '~' - ' ' + 1).Select(c => (char)c).ToArray()));
        var random = new Random(7);
        for (var i = 0; i < 50; i++)
        {
            data.Add(new string(Enumerable.Range(0, random.Next(1, 200)).Select(_ => (char)random.Next(' ', '~' + 1)).ToArray()));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public void AStringIsWrittenAsUtf8JsonWriterWritesIt(string text)
    {
        var expected = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(expected))
        {
            json.WriteStartArray();
            json.WriteNumberValue(-42L);
            json.WriteStringValue(text);
            json.WriteNullValue();
            json.WriteStringValue(text);
            json.WriteEndArray();
        }

        var writer = new HashFormWriter();
        writer.StartArray();
        writer.Number(-42);
        writer.String(text);
        writer.String((string?)null);
        writer.String(text.AsSpan());
        writer.EndArray();

        Assert.Equal(System.Text.Encoding.UTF8.GetString(expected.WrittenSpan), System.Text.Encoding.UTF8.GetString(writer.Written));
        Assert.True(expected.WrittenSpan.SequenceEqual(writer.Written));
    }

    [Fact]
    public void AWriterReusedForALongerFormGrowsAndStartsAfresh()
    {
        var writer = new HashFormWriter();
        writer.StartArray();
        writer.String(new string('"', 5000));
        writer.EndArray();
        Assert.Equal(2 + 2 + 5000 * 6, writer.Written.Length);

        writer.StartArray();
        writer.String("a");
        writer.EndArray();
        Assert.Equal("[\"a\"]", System.Text.Encoding.UTF8.GetString(writer.Written));
    }
}
