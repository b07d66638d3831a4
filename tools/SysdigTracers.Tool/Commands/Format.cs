using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace SysdigTracers.Tool.Commands;

/// <summary>How durations, times and arguments are printed, the same in every command.</summary>
internal static class Format
{
    /// <summary>Three significant digits in ns, µs, ms or s.</summary>
    public static string Duration(double nanoseconds)
    {
        if (nanoseconds < 1_000)
        {
            return ((long)System.Math.Round(nanoseconds)).ToString(CultureInfo.InvariantCulture) + " ns";
        }

        (double value, string unit) = nanoseconds switch
        {
            < 1_000_000 => (nanoseconds / 1_000, "µs"),
            < 1_000_000_000 => (nanoseconds / 1_000_000, "ms"),
            _ => (nanoseconds / 1_000_000_000, "s"),
        };
        string format = value < 10 ? "0.00" : value < 100 ? "0.0" : "0";
        return value.ToString(format, CultureInfo.InvariantCulture) + " " + unit;
    }

    /// <summary>Milliseconds since <paramref name="origin"/>, with microseconds.</summary>
    public static string Offset(long time, long origin) =>
        "+" + ((time - origin) / 1_000_000.0).ToString("0.000", CultureInfo.InvariantCulture) + " ms";

    public static string Args(IEnumerable<KeyValuePair<string, string>> args) =>
        string.Join(" ", args.Select(a => a.Key + "=" + a.Value));

    public static string Thread(long pid, long tid) =>
        pid.ToString(CultureInfo.InvariantCulture) + "/" + tid.ToString(CultureInfo.InvariantCulture);
}
