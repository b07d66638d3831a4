using System;
using System.Collections.Generic;
using System.Globalization;
using SysdigTracers.Tool.Input;

namespace SysdigTracers.Tool.Spans;

/// <summary>
/// Pairs enters and exits as sysdig does: an exit closes the most recent open enter with the same id and the same
/// tags, machine-wide; <c>t</c> and <c>p</c> are the writing thread's and process's ids, an empty id is 0. Exits that
/// close nothing and enters that never end are kept for the caller to report. Memory grows with the open spans only.
/// </summary>
internal sealed class SpanPairer
{
    readonly Dictionary<(string Id, string Tags), List<Span>> open = new();
    readonly Dictionary<(long Pid, long Tid), Span> threadTop = new();
    readonly Action<Span> closed;
    readonly Problems problems;

    public SpanPairer(Action<Span> closed, Problems problems)
    {
        this.closed = closed;
        this.problems = problems;
    }

    const int UnpairedExitsKept = 1000;

    /// <summary>The first exits that closed no open span, in input order (all are counted in <see cref="UnpairedExitCount"/>).</summary>
    public List<TracerEvent> UnpairedExits { get; } = new();

    public long UnpairedExitCount { get; private set; }

    /// <summary>How many spans are open now (after the last input: spans that never ended).</summary>
    public int OpenCount { get; private set; }

    public void Add(TracerEvent tracerEvent)
    {
        string id = ResolveId(tracerEvent);
        var key = (id, string.Join('\0', tracerEvent.Tracer.Tags));
        var thread = (tracerEvent.Pid, tracerEvent.Tid);
        if (tracerEvent.Tracer.IsEnter)
        {
            var span = new Span(tracerEvent, id, OpenOrNull(threadTop.GetValueOrDefault(thread)));
            if (!open.TryGetValue(key, out List<Span>? stack))
            {
                open[key] = stack = new List<Span>();
            }

            stack.Add(span);
            threadTop[thread] = span;
            OpenCount++;
            return;
        }

        if (!open.TryGetValue(key, out List<Span>? candidates) || candidates.Count == 0)
        {
            if (UnpairedExitCount++ < UnpairedExitsKept)
            {
                UnpairedExits.Add(tracerEvent);
            }

            return;
        }

        Span closing = candidates[^1];
        candidates.RemoveAt(candidates.Count - 1);
        if (candidates.Count == 0)
        {
            open.Remove(key);
        }

        closing.Exit = tracerEvent;
        OpenCount--;
        if (tracerEvent.Time < closing.Start)
        {
            problems.Add(tracerEvent.Line, $"an exit earlier than its enter (line {closing.Enter.Line}): the clock went back; its duration counts as 0");
        }

        var enterThread = (closing.Enter.Pid, closing.Enter.Tid);
        if (threadTop.TryGetValue(enterThread, out Span? top) && top == closing)
        {
            Span? parent = OpenOrNull(closing.Parent);
            if (parent == null)
            {
                threadTop.Remove(enterThread);
            }
            else
            {
                threadTop[enterThread] = parent;
            }
        }

        closed(closing);
    }

    /// <summary>The spans still open, in the order they started.</summary>
    public List<Span> Unended()
    {
        var spans = new List<Span>();
        foreach (List<Span> stack in open.Values)
        {
            spans.AddRange(stack);
        }

        spans.Sort((a, b) => a.Enter.Line.CompareTo(b.Enter.Line));
        return spans;
    }

    /// <summary><paramref name="span"/> or its nearest ancestor that is still open.</summary>
    internal static Span? OpenOrNull(Span? span)
    {
        while (span != null && span.Exit != null)
        {
            span = span.Parent;
        }

        return span;
    }

    /// <summary>The id as sysdig pairs it: <c>t</c> and <c>p</c> resolved, the empty id 0.</summary>
    internal static string ResolveId(TracerEvent tracerEvent) => tracerEvent.Tracer.Id switch
    {
        "" => "0",
        "t" => tracerEvent.Tid.ToString(CultureInfo.InvariantCulture),
        "p" => tracerEvent.Pid.ToString(CultureInfo.InvariantCulture),

        // The parent pid is not in a recording: such spans pair within their process.
        "pp" => "pp of " + tracerEvent.Pid.ToString(CultureInfo.InvariantCulture),
        string digits => long.Parse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
    };
}
