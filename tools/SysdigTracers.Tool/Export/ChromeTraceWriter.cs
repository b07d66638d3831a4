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
    private const string Category = "sysdig-tracers";
    private readonly Utf8JsonWriter _json;
    private readonly HashSet<(long Pid, long Tid)> _threads = new();
    private readonly HashSet<long> _processes = new();
    private long? _origin;

    public ChromeTraceWriter(Stream output)
    {
        _json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = false });
        _json.WriteStartObject();
        _json.WriteString("displayTimeUnit", "ns");
        _json.WriteStartArray("traceEvents");
    }

    public void Add(Span span)
    {
        _origin ??= span.Start;

        DescribeThread(span.Enter.Pid, span.Enter.Tid);
        _json.WriteStartObject();
        _json.WriteString("name", span.Tag);
        _json.WriteString("cat", Category);
        _json.WriteString("ph", span.Exit == null ? "B" : "X");
        _json.WriteNumber("ts", Microseconds(span.Start - _origin.Value));
        if (span.Duration is long duration)
        {
            _json.WriteNumber("dur", Microseconds(duration));
        }

        _json.WriteNumber("pid", span.Enter.Pid);
        _json.WriteNumber("tid", span.Enter.Tid);
        _json.WriteStartObject("args");
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

        _json.WriteEndObject();
        _json.WriteEndObject();

        // The writer keeps everything until flushed: hand it to the stream as it grows, so that memory stays flat.
        if (_json.BytesPending > 1 << 16)
        {
            _json.Flush();
        }
    }

    /// <summary>Sets the time origin (the first tracer's time) before the first span is added.</summary>
    public void SetOrigin(long origin) => _origin = origin;

    public void Dispose()
    {
        _json.WriteEndArray();
        _json.WriteEndObject();
        _json.Dispose();
    }

    /// <summary>Writes one argument; a name already used (tracers may repeat one) gets a #2, #3, ... suffix.</summary>
    private void Arg(HashSet<string> names, string name, string value)
    {
        string unique = name;
        for (int n = 2; !names.Add(unique); n++)
        {
            unique = name + "#" + n;
        }

        _json.WriteString(unique, value);
    }

    private void DescribeThread(long pid, long tid)
    {
        if (_processes.Add(pid))
        {
            Metadata("process_name", pid, pid, "process " + pid);
        }

        if (_threads.Add((pid, tid)))
        {
            Metadata("thread_name", pid, tid, "thread " + tid);
        }
    }

    private void Metadata(string name, long pid, long tid, string value)
    {
        _json.WriteStartObject();
        _json.WriteString("name", name);
        _json.WriteString("ph", "M");
        _json.WriteNumber("pid", pid);
        _json.WriteNumber("tid", tid);
        _json.WriteStartObject("args");
        _json.WriteString("name", value);
        _json.WriteEndObject();
        _json.WriteEndObject();
    }

    private static double Microseconds(long nanoseconds) => nanoseconds / 1000.0;
}
