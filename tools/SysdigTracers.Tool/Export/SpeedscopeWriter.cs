using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using SysdigTracers.Tool.Spans;

namespace SysdigTracers.Tool.Export;

/// <summary>
/// speedscope's file format (https://www.speedscope.app/file-format-schema.json): one evented profile per thread
/// that entered spans, each span a frame named by its full tag, opened and closed at its times in nanoseconds after the
/// first tracer. A profile's frames must nest; spans that overlap without nesting (async spans that hop threads) go to
/// a further profile of the same thread. Spans that never ended are left out (the summary lists them). Holds every
/// span until it writes.
/// </summary>
internal sealed class SpeedscopeWriter
{
    public const string SchemaUrl = "https://www.speedscope.app/file-format-schema.json";

    readonly List<Span> spans = new();
    readonly string name;

    public SpeedscopeWriter(string name) => this.name = name;

    public void Add(Span span)
    {
        if (span.Exit != null)
        {
            this.spans.Add(span);
        }
    }

    public void Write(Stream output, long origin)
    {
        var frames = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (Span span in this.spans)
        {
            frames.TryAdd(span.Tag, frames.Count);
        }

        using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        json.WriteString("$schema", SchemaUrl);
        json.WriteString("name", this.name);
        json.WriteString("exporter", "sysdig-tracers " + typeof(SpeedscopeWriter).Assembly.GetName().Version?.ToString(3));
        json.WriteNumber("activeProfileIndex", 0);
        json.WriteStartObject("shared");
        json.WriteStartArray("frames");
        foreach (string tag in frames.Keys)
        {
            json.WriteStartObject();
            json.WriteString("name", tag);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteStartArray("profiles");
        foreach (var thread in this.spans.GroupBy(s => (s.Enter.Pid, s.Enter.Tid)).OrderBy(g => g.Min(s => s.Start)))
        {
            List<List<Span>> lanes = Lanes(thread);
            for (int lane = 0; lane < lanes.Count; lane++)
            {
                string name = $"{this.name}: process {thread.Key.Pid} thread {thread.Key.Tid}" + (lane == 0 ? "" : $" (overlapping spans {lane + 1})");
                WriteProfile(json, name, lanes[lane], frames, origin);
            }
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>Spans in start order, longest first at equal starts, each in the first lane where it nests.</summary>
    static List<List<Span>> Lanes(IEnumerable<Span> spans)
    {
        var lanes = new List<List<Span>>();
        var open = new List<Stack<Span>>();
        foreach (Span span in spans.OrderBy(s => s.Start).ThenByDescending(s => s.Duration).ThenBy(s => s.Enter.Line))
        {
            long end = span.Start + span.Duration!.Value;
            int lane = 0;
            for (; lane < lanes.Count; lane++)
            {
                Stack<Span> stack = open[lane];
                while (stack.Count > 0 && End(stack.Peek()) <= span.Start)
                {
                    stack.Pop();
                }

                if (stack.Count == 0 || End(stack.Peek()) >= end)
                {
                    break;
                }
            }

            if (lane == lanes.Count)
            {
                lanes.Add(new List<Span>());
                open.Add(new Stack<Span>());
            }

            lanes[lane].Add(span);
            open[lane].Push(span);
        }

        return lanes;
    }

    static void WriteProfile(Utf8JsonWriter json, string name, List<Span> spans, Dictionary<string, int> frames, long origin)
    {
        json.WriteStartObject();
        json.WriteString("type", "evented");
        json.WriteString("name", name);
        json.WriteString("unit", "nanoseconds");
        json.WriteNumber("startValue", spans[0].Start - origin);
        json.WriteNumber("endValue", spans.Max(End) - origin);
        json.WriteStartArray("events");
        var stack = new Stack<Span>();
        foreach (Span span in spans)
        {
            while (stack.Count > 0 && End(stack.Peek()) <= span.Start)
            {
                Event(json, "C", frames[stack.Peek().Tag], End(stack.Pop()) - origin);
            }

            Event(json, "O", frames[span.Tag], span.Start - origin);
            stack.Push(span);
        }

        while (stack.Count > 0)
        {
            Event(json, "C", frames[stack.Peek().Tag], End(stack.Pop()) - origin);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    static void Event(Utf8JsonWriter json, string type, int frame, long at)
    {
        json.WriteStartObject();
        json.WriteString("type", type);
        json.WriteNumber("frame", frame);
        json.WriteNumber("at", at);
        json.WriteEndObject();
    }

    static long End(Span span) => span.Start + span.Duration!.Value;
}
