using System.Globalization;
using System.Text;

namespace Evok.Orleans.Abstractions.Json;

/// <summary>
/// Writes JSON the way Evok's Python <c>json.dumps</c> does: <c>", "</c> and <c>": "</c> separators, keys in
/// insertion order, floats always with a fraction or exponent (<c>4800.0</c>), non-ASCII escaped. Receivers compare
/// these strings, so the exact text matters more than speed of a general-purpose serializer.
/// </summary>
public sealed class EvokJsonWriter(StringBuilder output, EvokJsonStyle style = EvokJsonStyle.Evok2)
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

        // Every analog value is rendered here: where .NET's shortest form already is Python's (fixed notation below
        // 1e16), it is used as it is, with no further allocation.
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        if (Math.Abs(value) < 1e16 && !text.Contains('E', StringComparison.Ordinal))
        {
            Output.Append(text);
            if (!text.Contains('.', StringComparison.Ordinal))
            {
                Output.Append(".0");
            }

            return;
        }

        AppendPythonRepr(value);
    }

    /// <summary>
    /// Python's <c>repr</c> of a float, which Evok's JSON carries: the shortest digits that read back as the same
    /// double, in fixed notation for decimal exponents from -4 to 15 (always with a fraction) and as <c>1.5e+16</c>
    /// outside them.
    /// </summary>
    private void AppendPythonRepr(double value)
    {
        if (value < 0 || (value == 0 && double.IsNegative(value)))
        {
            Output.Append('-');
            value = -value;
        }

        // The shortest round-trip digits and where the decimal point goes: value = 0.<digits> × 10^point.
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        var exponentAt = text.IndexOf('E', StringComparison.Ordinal);
        var mantissa = exponentAt < 0 ? text : text[..exponentAt];
        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var point = (dot < 0 ? mantissa.Length : dot) + (exponentAt < 0 ? 0 : int.Parse(text.AsSpan(exponentAt + 1), CultureInfo.InvariantCulture));
        var digits = mantissa.Replace(".", string.Empty, StringComparison.Ordinal);
        var leadingZeros = digits.Length - digits.TrimStart('0').Length;
        digits = digits.Trim('0');
        point -= leadingZeros;
        if (digits.Length == 0)
        {
            Output.Append("0.0");
            return;
        }

        var exponent = point - 1;
        if (exponent is >= -4 and < 16)
        {
            if (point <= 0)
            {
                Output.Append("0.").Append('0', -point).Append(digits);
            }
            else if (point >= digits.Length)
            {
                Output.Append(digits).Append('0', point - digits.Length).Append(".0");
            }
            else
            {
                Output.Append(digits.AsSpan(0, point)).Append('.').Append(digits.AsSpan(point));
            }

            return;
        }

        Output.Append(digits[0]);
        if (digits.Length > 1)
        {
            Output.Append('.').Append(digits.AsSpan(1));
        }

        Output.Append('e').Append(exponent < 0 ? '-' : '+').Append(Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture));
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
