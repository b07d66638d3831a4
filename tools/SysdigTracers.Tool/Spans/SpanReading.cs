using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using SysdigTracers.Tool.Input;

namespace SysdigTracers.Tool.Spans;

/// <summary>Reads an input to the end and pairs its tracers; every closed span goes to the caller as it closes.</summary>
internal sealed class SpanReading
{
    SpanReading(Problems problems, SpanPairer pairer, long? firstTime, long events)
    {
        Problems = problems;
        Unended = pairer.Unended();
        UnpairedExits = pairer.UnpairedExits;
        UnpairedExitCount = pairer.UnpairedExitCount;
        FirstTime = firstTime;
        Events = events;
    }

    public Problems Problems { get; }

    public List<Span> Unended { get; }

    public List<TracerEvent> UnpairedExits { get; }

    public long UnpairedExitCount { get; }

    /// <summary>The time of the first tracer, the origin of the relative times this tool prints.</summary>
    public long? FirstTime { get; }

    /// <summary>How many tracers were read.</summary>
    public long Events { get; }

    /// <summary>Reads <paramref name="path"/> (<c>-</c> for standard input).</summary>
    public static SpanReading Read(string path, Action<Span> closed, Action<long>? firstTime = null)
    {
        string name = path == "-" ? "stdin" : path;
        using TextReader reader = path == "-"
            ? new StreamReader(Console.OpenStandardInput(), Encoding.UTF8)
            : new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16), Encoding.UTF8);
        return Read(reader, name, closed, firstTime);
    }

    /// <param name="firstTime">Called with the first tracer's time, before any span closes.</param>
    public static SpanReading Read(TextReader reader, string name, Action<Span> closed, Action<long>? firstTime = null)
    {
        var problems = new Problems(name);
        var pairer = new SpanPairer(closed, problems);
        long? first = null;
        long events = 0;
        foreach (TracerEvent tracerEvent in InputReader.Read(reader, problems))
        {
            if (first == null)
            {
                first = tracerEvent.Time;
                firstTime?.Invoke(tracerEvent.Time);
            }

            events++;
            pairer.Add(tracerEvent);
        }

        return new SpanReading(problems, pairer, first, events);
    }
}
