using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using SysdigTracers.Tool.Spans;

namespace SysdigTracers.Tool.Export;

/// <summary>
/// The Chrome trace-event format (JSON object form), which chrome://tracing and Perfetto open: one complete event
/// (<c>"ph":"X"</c>) per span, named by its full tag, on the track of the thread that entered it, with times in
/// microseconds after the first tracer; a span that never ended is a begin event (<c>"B"</c>) without an end.
/// Streamed: each span is written as it closes.
/// </summary>
internal sealed class ChromeTraceWriter : IDisposable
{
    const string Category = "sysdig-tracers";
    readonly Utf8JsonWriter json;
    readonly HashSet<(long Pid, long Tid)> threads = new();
    readonly HashSet<long> processes = new();
    long? origin;

    public ChromeTraceWriter(Stream output)
    {
        json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = false });
        json.WriteStartObject();
        json.WriteString("displayTimeUnit", "ns");
        json.WriteStartArray("traceEvents");
    }

    public void Add(Span span)
    {
        origin ??= span.Start;

        DescribeThread(span.Enter.Pid, span.Enter.Tid);
        json.WriteStartObject();
        json.WriteString("name", span.Tag);
        json.WriteString("cat", Category);
        json.WriteString("ph", span.Exit == null ? "B" : "X");
        json.WriteNumber("ts", Microseconds(span.Start - origin.Value));
        if (span.Duration is long duration)
        {
            json.WriteNumber("dur", Microseconds(duration));
        }

        json.WriteNumber("pid", span.Enter.Pid);
        json.WriteNumber("tid", span.Enter.Tid);
        json.WriteStartObject("args");
        var names = new HashSet<string>(StringComparer.Ordinal);
        Arg(names, "span id", span.Id);
        foreach (KeyValuePair<string, string> arg in span.Enter.Tracer.Args)
        {
            Arg(names, arg.Key, arg.Value);
        }

        if (span.Exit != null)
        {
            foreach (KeyValuePair<string, string> arg in span.Exit.Tracer.Args)
            {
                Arg(names, "exit." + arg.Key, arg.Value);
            }

            if (span.Exit.Tid != span.Enter.Tid || span.Exit.Pid != span.Enter.Pid)
            {
                Arg(names, "exit thread", span.Exit.Pid + "/" + span.Exit.Tid);
            }
        }

        json.WriteEndObject();
        json.WriteEndObject();

        // The writer keeps everything until flushed: hand it to the stream as it grows, so that memory stays flat.
        if (json.BytesPending > 1 << 16)
        {
            json.Flush();
        }
    }

    /// <summary>Sets the time origin (the first tracer's time) before the first span is added.</summary>
    public void SetOrigin(long origin) => this.origin = origin;

    public void Dispose()
    {
        json.WriteEndArray();
        json.WriteEndObject();
        json.Dispose();
    }

    /// <summary>Writes one argument; a name already used (tracers may repeat one) gets a #2, #3, ... suffix.</summary>
    void Arg(HashSet<string> names, string name, string value)
    {
        string unique = name;
        for (int n = 2; !names.Add(unique); n++)
        {
            unique = name + "#" + n;
        }

        json.WriteString(unique, value);
    }

    void DescribeThread(long pid, long tid)
    {
        if (processes.Add(pid))
        {
            Metadata("process_name", pid, pid, "process " + pid);
        }

        if (threads.Add((pid, tid)))
        {
            Metadata("thread_name", pid, tid, "thread " + tid);
        }
    }

    void Metadata(string name, long pid, long tid, string value)
    {
        json.WriteStartObject();
        json.WriteString("name", name);
        json.WriteString("ph", "M");
        json.WriteNumber("pid", pid);
        json.WriteNumber("tid", tid);
        json.WriteStartObject("args");
        json.WriteString("name", value);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    static double Microseconds(long nanoseconds) => nanoseconds / 1000.0;
}
