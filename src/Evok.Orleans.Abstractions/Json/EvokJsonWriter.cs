using System.Globalization;
using System.Text;

namespace Evok.Orleans.Abstractions.Json;

/// <summary>
/// Writes JSON the way Evok's Python <c>json.dumps</c> does: <c>", "</c> and <c>": "</c> separators, keys in
/// insertion order, floats always with a fraction or exponent (<c>4800.0</c>), non-ASCII escaped. Receivers compare
/// these strings, so the exact text matters more than speed of a general-purpose serializer.
/// </summary>
public sealed class EvokJsonWriter(StringBuilder output, EvokJsonStyle style = EvokJsonStyle.Seed)
{
    private const int MaxDepth = 62;
    private ulong _hasItems;
    private int _depth;
    private bool _afterName;

    public EvokJsonStyle Style { get; } = style;

    public StringBuilder Output { get; } = output;

    public EvokJsonWriter BeginObject()
    {
        BeforeValue();
        Output.Append('{');
        Push();
        return this;
    }

    public EvokJsonWriter EndObject()
    {
        Pop();
        Output.Append('}');
        return this;
    }

    public EvokJsonWriter BeginArray()
    {
        BeforeValue();
        Output.Append('[');
        Push();
        return this;
    }

    public EvokJsonWriter EndArray()
    {
        Pop();
        Output.Append(']');
        return this;
    }

    public EvokJsonWriter Name(string name)
    {
        BeforeValue();
        AppendString(name);
        Output.Append(": ");
        _afterName = true;
        return this;
    }

    public EvokJsonWriter String(string value)
    {
        BeforeValue();
        AppendString(value);
        return this;
    }

    public EvokJsonWriter Integer(long value)
    {
        BeforeValue();
        Output.Append(value.ToString(CultureInfo.InvariantCulture));
        return this;
    }

    public EvokJsonWriter Float(double value)
    {
        BeforeValue();
        AppendFloat(value);
        return this;
    }

    /// <summary>Writes an integral value as an integer and anything else as a float, like YAML-loaded numbers.</summary>
    public EvokJsonWriter Number(double value)
    {
        if (double.IsFinite(value) && Math.Abs(value) < 1e15 && value == Math.Floor(value))
        {
            return Integer((long)value);
        }

        return Float(value);
    }

    public EvokJsonWriter Null()
    {
        BeforeValue();
        Output.Append("null");
        return this;
    }

    /// <summary>A float, or null when there is no value (a 1-Wire property never read).</summary>
    public EvokJsonWriter Float(double? value) => value is { } number ? Float(number) : Null();

    public EvokJsonWriter Bool(bool value)
    {
        BeforeValue();
        Output.Append(value ? "true" : "false");
        return this;
    }

    /// <summary>Writes a value that is already JSON text (an element rendered earlier).</summary>
    public EvokJsonWriter Raw(string json)
    {
        BeforeValue();
        Output.Append(json);
        return this;
    }

    public EvokJsonWriter StringArray(IEnumerable<string> values)
    {
        BeginArray();
        foreach (var value in values)
        {
            String(value);
        }

        return EndArray();
    }

    private void BeforeValue()
    {
        if (_afterName)
        {
            _afterName = false;
            return;
        }

        if (_depth == 0)
        {
            return;
        }

        var bit = 1UL << _depth;
        if ((_hasItems & bit) != 0)
        {
            Output.Append(", ");
        }

        _hasItems |= bit;
    }

    private void Push()
    {
        if (++_depth > MaxDepth)
        {
            throw new InvalidOperationException("JSON nesting too deep.");
        }

        _hasItems &= ~(1UL << _depth);
    }

    private void Pop()
    {
        if (_depth == 0)
        {
            throw new InvalidOperationException("Unbalanced JSON end.");
        }

        _depth--;
    }

    private void AppendFloat(double value)
    {
        if (double.IsNaN(value))
        {
            Output.Append("NaN");
            return;
        }

        if (double.IsInfinity(value))
        {
            Output.Append(value > 0 ? "Infinity" : "-Infinity");
            return;
        }

        var text = value.ToString("R", CultureInfo.InvariantCulture);
        if (text.Contains('E', StringComparison.Ordinal))
        {
            Output.Append(text.Replace('E', 'e'));
        }
        else if (text.Contains('.', StringComparison.Ordinal))
        {
            Output.Append(text);
        }
        else
        {
            Output.Append(text).Append(".0");
        }
    }

    private void AppendString(string value)
    {
        Output.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': Output.Append("\\\""); break;
                case '\\': Output.Append("\\\\"); break;
                case '\n': Output.Append("\\n"); break;
                case '\r': Output.Append("\\r"); break;
                case '\t': Output.Append("\\t"); break;
                case '\b': Output.Append("\\b"); break;
                case '\f': Output.Append("\\f"); break;
                default:
                    if (c < 0x20 || c > 0x7F)
                    {
                        Output.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        Output.Append(c);
                    }

                    break;
            }
        }

        Output.Append('"');
    }
}
