using System.Globalization;
using System.Numerics;

namespace Evok.Orleans.Abstractions.Json;

/// <summary>
/// Python's <c>round(x, n)</c>, which Evok applies to every value it reports: the exact binary value of the double is
/// rounded to n decimals, ties to even, and the decimal result read back as the nearest double. .NET's
/// <see cref="Math.Round(double, int)"/> scales by 10^n first, and that inexact product rounds differently at many
/// points (raw AO 997 × 0.0025 = 2.4925000000000002: Python 2.493, Math.Round 2.492).
/// </summary>
public static class PythonRound
{
    public static double Round(double value, int digits)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(digits);
        if (!double.IsFinite(value) || value == 0)
        {
            return value;
        }

        var bits = BitConverter.DoubleToInt64Bits(value);
        var exponent = (int)((bits >> 52) & 0x7FF);
        var mantissa = bits & 0xF_FFFF_FFFF_FFFFL;
        if (exponent == 0)
        {
            exponent = 1;
        }
        else
        {
            mantissa |= 1L << 52;
        }

        // |value| = mantissa × 2^(exponent − 1075), exactly; scaled by 10^digits as a fraction.
        exponent -= 1075;
        var numerator = new BigInteger(mantissa) * BigInteger.Pow(10, digits);
        var denominator = BigInteger.One;
        if (exponent >= 0)
        {
            numerator <<= exponent;
        }
        else
        {
            denominator <<= -exponent;
        }

        var quotient = BigInteger.DivRem(numerator, denominator, out var remainder);
        var half = (remainder * 2).CompareTo(denominator);
        if (half > 0 || (half == 0 && !quotient.IsEven))
        {
            quotient++;
        }

        var rounded = double.Parse(
            string.Create(CultureInfo.InvariantCulture, $"{quotient}E-{digits}"), NumberStyles.Float, CultureInfo.InvariantCulture);
        return bits < 0 ? -rounded : rounded;
    }
}
