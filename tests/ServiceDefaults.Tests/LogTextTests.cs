namespace ServiceDefaults.Tests;

public sealed class LogTextTests
{
    [Fact]
    public void AForgedLogLineStaysOnTheLineOfTheValueThatCarriedIt()
    {
        var forged = "acme\r\n2026-12-01 info: Api.Identity[1] admin@platform.local signed in";

        var escaped = LogText.Escape(forged)!;

        Assert.DoesNotContain('\r', escaped);
        Assert.DoesNotContain('\n', escaped);
        Assert.Equal(@"acme\r\n2026-12-01 info: Api.Identity[1] admin@platform.local signed in", escaped);
    }

    [Theory]
    [InlineData("tab\there", @"tab\there")]
    [InlineData("nul\0byte", @"nul\u0000byte")]
    [InlineData("escape \u001b[31mred", @"escape \u001b[31mred")]
    [InlineData("delete\u007f", @"delete\u007f")]
    [InlineData("next line\u0085", @"next line\u0085")]
    [InlineData("line\u2028separator\u2029", @"line\u2028separator\u2029")]
    public void ControlAndLineBreakingCharactersAreWrittenAsEscapes(string value, string expected) =>
        Assert.Equal(expected, LogText.Escape(value));

    [Fact]
    public void PlainTextIsReturnedAsItIsWithoutACopy()
    {
        var plain = "Zoë's tenant – ünïcode, emoji 🚀 and \\backslashes\\";

        Assert.Same(plain, LogText.Escape(plain));
        Assert.Null(LogText.Escape(null));
    }

    [Fact]
    public void AVeryLongValueIsCutAndSaysSo()
    {
        var escaped = LogText.Escape(new string('a', 5000) + "\n", maxLength: 100)!;

        Assert.Equal(new string('a', 100) + "…", escaped);
        Assert.Equal("ab\\n…", LogText.Escape("ab\ncd", maxLength: 3));
    }
}
