using System.Text;
using Evok.Orleans.Abstractions.Json;

namespace Evok.Orleans.UnitTests.Json;

public sealed class EvokJsonWriterTests
{
    [Theory]
    [InlineData(4800.0, "4800.0")]
    [InlineData(8.301, "8.301")]
    [InlineData(0.0, "0.0")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(1e-7, "1e-07")]
    [InlineData(double.NaN, "NaN")]
    public void Floats_are_written_like_python_repr(double value, string expected)
    {
        var text = new StringBuilder();
        new EvokJsonWriter(text).Float(value);

        Assert.Equal(expected, text.ToString());
    }

    [Fact]
    public void Objects_and_arrays_use_python_separators()
    {
        var text = new StringBuilder();
        new EvokJsonWriter(text).BeginObject().Name("a").Integer(1).Name("b").BeginArray().Number(0).Number(10).Number(0.02).EndArray()
            .Name("c").BeginObject().EndObject().EndObject();

        Assert.Equal("""{"a": 1, "b": [0, 10, 0.02], "c": {}}""", text.ToString());
    }

    [Fact]
    public void Strings_escape_quotes_control_and_non_ascii_characters_like_ensure_ascii()
    {
        var text = new StringBuilder();
        new EvokJsonWriter(text).String("a\"b\\c\nd\u0001é€");

        Assert.Equal("\"a\\\"b\\\\c\\nd\\u0001\\u00e9\\u20ac\"", text.ToString());
    }
}
