using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace Tests.Runtime;

/// <summary>One system call from an strace log taken with <c>-f -xx</c>.</summary>
public sealed record StraceCall(int Pid, string Name, string Arguments, long Result, string ResultText)
{
    /// <summary>The descriptor argument of write-like calls and close.</summary>
    public int Fd => int.Parse(Arguments.Substring(0, Arguments.IndexOf(',') is var comma and >= 0 ? comma : Arguments.Length), CultureInfo.InvariantCulture);

    /// <summary>The bytes of the first string argument (the path of open, the data of write).</summary>
    public byte[] FirstString
    {
        get
        {
            Match match = Regex.Match(Arguments, "\"((?:\\\\x[0-9a-f]{2})*)\"");
            string hex = match.Groups[1].Value;
            var bytes = new byte[hex.Length / 4];
            for (int i = 0; i < bytes.Length; i++)
            {
                bytes[i] = byte.Parse(hex.AsSpan(i * 4 + 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            }

            return bytes;
        }
    }

    /// <summary>Whether strace cut the string argument short (it was longer than <c>-s</c>).</summary>
    public bool Truncated => Arguments.Contains("\"...", StringComparison.Ordinal);
}

/// <summary>Parses strace output, joining the <c>unfinished</c>/<c>resumed</c> halves that threads produce.</summary>
public static class StraceLog
{
    private static readonly Regex Prefix = new(@"^(?:\[pid\s+(\d+)\]\s+|(\d+)\s+)?(.*)$");
    private static readonly Regex Call = new(@"^(\w+)\((.*)\)\s+=\s+(-?\d+|\?)(.*)$");
    private static readonly Regex Resumed = new(@"^<\.\.\. (\w+) resumed>(.*)$");

    public static IReadOnlyList<StraceCall> Parse(IEnumerable<string> lines)
    {
        var pending = new Dictionary<int, string>();
        var calls = new List<StraceCall>();
        foreach (string raw in lines)
        {
            Match prefix = Prefix.Match(raw);
            int pid = prefix.Groups[1].Success ? int.Parse(prefix.Groups[1].Value, CultureInfo.InvariantCulture)
                : prefix.Groups[2].Success ? int.Parse(prefix.Groups[2].Value, CultureInfo.InvariantCulture) : 0;
            string line = prefix.Groups[3].Value;
            if (line.EndsWith("<unfinished ...>", StringComparison.Ordinal))
            {
                pending[pid] = line.Substring(0, line.Length - "<unfinished ...>".Length).TrimEnd();
                continue;
            }

            Match resumed = Resumed.Match(line);
            if (resumed.Success)
            {
                if (!pending.Remove(pid, out string? start))
                {
                    continue;
                }

                line = start + resumed.Groups[2].Value;
            }

            Match call = Call.Match(line);
            if (!call.Success)
            {
                continue; // signals, exits
            }

            string resultText = call.Groups[3].Value;
            long result = resultText == "?" ? long.MinValue : long.Parse(resultText, CultureInfo.InvariantCulture);
            calls.Add(new StraceCall(pid, call.Groups[1].Value, call.Groups[2].Value, result, resultText + call.Groups[4].Value));
        }

        return calls;
    }

    /// <summary>
    /// Follows which descriptors refer to <c>/dev/null</c> (opened by path, until closed) and returns every write-like
    /// call made to one of them while it did.
    /// </summary>
    public static IReadOnlyList<StraceCall> CallsOnDevNull(IReadOnlyList<StraceCall> calls, out IReadOnlyList<StraceCall> opens)
    {
        var devNull = new HashSet<int>();
        var onDevNull = new List<StraceCall>();
        var openCalls = new List<StraceCall>();
        foreach (StraceCall call in calls)
        {
            switch (call.Name)
            {
                case "open" or "openat" or "creat":
                    if (call.Result >= 0 && Encoding.UTF8.GetString(call.FirstString) == "/dev/null")
                    {
                        devNull.Add((int)call.Result);
                        openCalls.Add(call);
                    }
                    else if (call.Result >= 0)
                    {
                        devNull.Remove((int)call.Result);
                    }

                    break;
                case "close":
                    if (call.Result == 0)
                    {
                        devNull.Remove(call.Fd);
                    }

                    break;
                case "write" or "pwrite64" or "writev" or "pwritev":
                    if (devNull.Contains(call.Fd))
                    {
                        onDevNull.Add(call);
                    }

                    break;
            }
        }

        opens = openCalls;
        return onDevNull;
    }
}
