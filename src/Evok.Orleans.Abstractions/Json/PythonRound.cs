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

        // Fast path (every analog value goes through here): while the scaled value is small, its rounding error is
        // far below 1e-6, so away from a tie its rounding direction is the exact value's; and q / 10^n of two exact
        // doubles is correctly rounded, as Python's reading of the decimal result is.
        if (digits < Powers.Length)
        {
            var power = Powers[digits];
            var scaled = value * power;
            var floor = Math.Floor(scaled);
            var fraction = scaled - floor;
            if (Math.Abs(scaled) < 1e9 && Math.Abs(fraction - 0.5) > 1e-6)
            {
                var quotient = fraction > 0.5 ? floor + 1 : floor;
                return quotient == 0 ? (value < 0 ? -0.0 : 0.0) : quotient / power;
            }
        }

        return Exact(value, digits);
    }

    private static readonly double[] Powers = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

    /// <summary>Rounds the exact binary value (big-integer arithmetic): ties and near-ties.</summary>
    private static double Exact(double value, int digits)
    {

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
