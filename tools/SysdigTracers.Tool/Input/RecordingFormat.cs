using System;
using System.Globalization;

namespace SysdigTracers.Tool.Input;

/// <summary>
/// The recording line format, version 1 (docs/recording.md): a header line <c># sysdig-tracers recording 1</c> from
/// each process that wrote to the file, then <c>TIME PID TID TRACER</c> per line.
/// </summary>
internal static class RecordingFormat
{
    public const string HeaderPrefix = "# sysdig-tracers recording ";
    public const int Version = 1;

    /// <summary>Whether <paramref name="line"/> is a header line; <paramref name="version"/> is what it names.</summary>
    public static bool IsHeader(string line, out string version)
    {
        version = "";
        if (!line.StartsWith(HeaderPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        version = line[HeaderPrefix.Length..].Trim();
        return true;
    }

    /// <summary>Reads one tracer line; on failure returns <see langword="null"/> and the reason.</summary>
    public static TracerEvent? ParseLine(string line, long number, out string? error)
    {
        ReadOnlySpan<char> rest = line;
        if (!TakeNumber(ref rest, out long time) || !TakeNumber(ref rest, out long pid) || !TakeNumber(ref rest, out long tid))
        {
            error = "expected 'TIME PID TID TRACER' (three numbers, then the tracer)";
            return null;
        }

        Tracer? tracer = TracerParser.Parse(rest, out error);
        return tracer == null ? null : new TracerEvent(time, pid, tid, tracer, number);
    }

    static bool TakeNumber(ref ReadOnlySpan<char> rest, out long value)
    {
        int space = rest.IndexOf(' ');
        value = 0;
        if (space <= 0 || !long.TryParse(rest[..space], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            return false;
        }

        rest = rest[(space + 1)..];
        return true;
    }
}
