using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using SysdigTracers.Tool.Spans;

namespace SysdigTracers.Tool.Commands;

/// <summary>
/// One line per span, in the order they started: start (ms after the first tracer), duration, thread (pid/tid), id,
/// tag, the enter's arguments, and after <c>-&gt;</c> the exit's. Filtered by tag prefix and minimum duration.
/// </summary>
internal sealed class SpanList
{
    readonly List<Span> spans = new();
    readonly string[] prefix;
    readonly long minimum;

    public SpanList(IReadOnlyList<string> prefix, long minimumNanoseconds)
    {
        this.prefix = prefix.ToArray();
        minimum = minimumNanoseconds;
    }

    public void Add(Span span)
    {
        if ((span.Duration ?? 0) >= minimum && HasPrefix(span))
        {
            spans.Add(span);
        }
    }

    public void Write(TextWriter output, SpanReading reading)
    {
        long origin = reading.FirstTime ?? 0;
        var lines = spans
            .Concat(reading.Unended.Where(HasPrefix))
            .OrderBy(s => s.Start)
            .ThenBy(s => s.Enter.Line)
            .Select(s => new[]
            {
                Format.Offset(s.Start, origin),
                s.Duration is long d ? Format.Duration(d) : "never ended",
                Format.Thread(s.Enter.Pid, s.Enter.Tid),
                "id=" + s.Id,
                s.Tag,
                Arguments(s),
            })
            .ToList();
        int[] widths = Enumerable.Range(0, 4).Select(c => lines.Count == 0 ? 0 : lines.Max(l => l[c].Length)).ToArray();
        foreach (string[] line in lines)
        {
            output.WriteLine(string.Join("  ", new[]
            {
                line[0].PadLeft(widths[0]), line[1].PadLeft(widths[1]), line[2].PadRight(widths[2]), line[3].PadRight(widths[3]), line[4] + line[5],
            }).TrimEnd());
        }
    }

    static string Arguments(Span span)
    {
        string enter = Format.Args(span.Enter.Tracer.Args);
        string exit = span.Exit == null ? "" : Format.Args(span.Exit.Tracer.Args);
        return (enter.Length > 0 ? "  " + enter : "") + (exit.Length > 0 ? "  -> " + exit : "");
    }

    bool HasPrefix(Span span) =>
        span.Tags.Count >= prefix.Length && prefix.Select((tag, i) => span.Tags[i] == tag).All(same => same);

    /// <summary>Reads a duration such as <c>250us</c>, <c>1.5ms</c>, <c>2s</c> or <c>800ns</c> (a bare number is ms).</summary>
    public static bool TryParseDuration(string text, out long nanoseconds)
    {
        text = text.Trim().Replace("µs", "us", StringComparison.Ordinal);
        (string unit, double scale) = new[] { ("ns", 1.0), ("us", 1e3), ("ms", 1e6), ("s", 1e9) }
            .FirstOrDefault(u => text.EndsWith(u.Item1, StringComparison.OrdinalIgnoreCase), ("", 1e6));
        bool ok = double.TryParse(text[..^unit.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value >= 0;
        nanoseconds = ok ? (long)(value * scale) : 0;
        return ok;
    }
}
