using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;

namespace SysdigTracers.Internal;

/// <summary>
/// The mutable part of a manual span, pooled per thread so that starting and ending spans does not allocate.
/// <see cref="TracerSpan"/> and <see cref="TracerSpanBuilder"/> hold it with the <see cref="Version"/> they were
/// issued; every phase change bumps the version, so stale copies (a second Dispose, a span disposed after its state
/// was reused) see a mismatch and do nothing.
/// </summary>
internal sealed unsafe class SpanState
{
    private const int PoolSize = 8;

    // "trace_id=" and 32 hex digits, ",span_id=" and 16, and the ',' before the arguments.
    private const int TraceContextLength = 9 + 32 + 9 + 16 + 1;

    [ThreadStatic]
    private static SpanState?[]? t_pool;

    [ThreadStatic]
    private static int t_pooled;

    // Header "D:ID:TAGS:" then the arguments of the tracer being built; one byte kept for ':' and one for '\n'.
    internal readonly byte[] Buffer = new byte[TracerWriter.BufferSize];
    internal int Version;
    internal long Id;
    internal int TagsStart;
    internal int HeaderLength;
    internal int Length;

    // Where the arguments of the tracer being built start: after the header, or, for an enter with the trace context,
    // after the room kept for "trace_id=…,span_id=…," until the Activity starts (and its ids are known).
    internal int ArgumentsStart;

    // An argument was dropped or cut: later arguments of the same tracer are dropped.
    internal bool Full;

    // Whether the tracers are written (tracing was on when the span began).
    internal bool Writes;

    // The Activity side: its name, the enter arguments as tags until it starts, then the Activity itself.
    internal string ActivityName = "";
    internal readonly List<KeyValuePair<string, object?>> EnterTags = new();
    internal Activity? Activity;
    internal bool Listened;

    internal static SpanState Rent()
    {
        SpanState?[]? pool = t_pool;
        if (pool != null && t_pooled > 0)
        {
            int index = --t_pooled;
            SpanState state = pool[index]!;
            pool[index] = null;
            return state;
        }

        return new SpanState();
    }

    internal static void Return(SpanState state)
    {
        SpanState?[] pool = t_pool ??= new SpanState?[PoolSize];
        if (t_pooled < PoolSize)
        {
            pool[t_pooled++] = state;
        }
    }

    /// <summary>Writes the enter header of a root span.</summary>
    internal void InitRoot(string tag, long id, bool writes, bool listened)
    {
        InitActivity(tag, writes, listened);
        fixed (byte* p = Buffer)
        {
            var writer = new TracerWriter(p, 0);
            writer.Put((byte)'>');
            writer.Put((byte)':');
            writer.PutId(id);
            writer.Put((byte)':');
            TagsStart = writer.Length;
            writer.AppendTags(tag, continuation: false);
            writer.Put((byte)':');
            Finish(ref writer, id);
        }
    }

    /// <summary>Writes the enter header of a child: the parent's tags, a dot, then the child's tags.</summary>
    internal void InitChild(SpanState parent, string tag, bool listened)
    {
        InitActivity(tag, parent.Writes, listened);
        int parentTagsEnd = parent.HeaderLength - 1;
        Array.Copy(parent.Buffer, 0, Buffer, 0, parentTagsEnd);
        Buffer[0] = (byte)'>';
        TagsStart = parent.TagsStart;
        fixed (byte* p = Buffer)
        {
            var writer = new TracerWriter(p, parentTagsEnd);
            writer.AppendTags(tag, continuation: true, TracerWriter.MaxTagsLength - (parentTagsEnd - TagsStart));

            writer.Put((byte)':');
            Finish(ref writer, parent.Id);
        }
    }

    private void InitActivity(string name, bool writes, bool listened)
    {
        Writes = writes;
        Listened = listened;
        ActivityName = name;
        EnterTags.Clear();
        Activity = null;
    }

    private void Finish(ref TracerWriter writer, long id)
    {
        Id = id;
        HeaderLength = writer.Length;
        ArgumentsStart = Writes && Listened && Tracer.TraceContext ? HeaderLength + TraceContextLength : HeaderLength;
        Length = ArgumentsStart;
        Full = false;
    }

    // A manual span's arguments are what the caller chose to write: formatted with ToString, like any value they pass.
    private const bool CallToString = true;

    internal void AppendArgument<T>(string name, T value)
    {
        if (Activity != null)
        {
            ActivityRecorder.SetTag(Activity, name, value, CallToString);
        }
        else if (Listened)
        {
            object? tag = AttributeValues.From(value, CallToString);
            if (tag != null)
            {
                EnterTags.Add(new KeyValuePair<string, object?>(name, tag));
            }
        }

        if (Full || !Writes)
        {
            return;
        }

        fixed (byte* p = Buffer)
        {
            var writer = new TracerWriter(p, Length);
            if (writer.BeginArgument(name, first: Length == ArgumentsStart))
            {
                ValueFormatter.Append(ref writer, value, CallToString);
            }

            Length = writer.Length;
            Full = writer.Full;
        }
    }

    /// <summary>
    /// Starts the Activity (child of <paramref name="parent"/>, the parent span's, when given, else of <see cref="Activity.Current"/>),
    /// writes the enter tracer, then prepares the buffer for the exit tracer's arguments.
    /// </summary>
    internal void EmitEnter(Activity? parent)
    {
        if (Listened)
        {
            Activity = ActivityRecorder.StartManual(ActivityName, parent, EnterTags);
            EnterTags.Clear();
        }

        if (ArgumentsStart != HeaderLength)
        {
            PutTraceContext();
        }

        Emit();
        Buffer[0] = (byte)'<';
        Length = HeaderLength;
        ArgumentsStart = HeaderLength;
        Full = false;
    }

    /// <summary>Fills the room kept after the header with the Activity's ids, or closes it when there is no Activity.</summary>
    private void PutTraceContext()
    {
        int arguments = Length - ArgumentsStart;
        Activity? activity = Activity;
        if (activity == null)
        {
            // Sampled out: the arguments move back to the header.
            Array.Copy(Buffer, ArgumentsStart, Buffer, HeaderLength, arguments);
            Length = HeaderLength + arguments;
            return;
        }

        fixed (byte* p = Buffer)
        {
            var writer = new TracerWriter(p, HeaderLength);
            writer.BeginArgument(ActivityRecorder.TraceIdArgument, first: true);
            writer.AppendValue(activity.TraceId.ToHexString());
            writer.BeginArgument(ActivityRecorder.SpanIdArgument, first: false);
            writer.AppendValue(activity.SpanId.ToHexString());
            if (arguments > 0)
            {
                writer.Put((byte)',');
            }
            else
            {
                Length = writer.Length;
            }
        }
    }

    internal void Emit()
    {
        if (!Writes)
        {
            return;
        }

        fixed (byte* p = Buffer)
        {
            var writer = new TracerWriter(p, Length);
            writer.Close();
            TracerSink.Emit(p, writer.Length);
        }
    }

    /// <summary>Writes the exit tracer and ends the Activity.</summary>
    internal void EmitExit()
    {
        Emit();
        Activity? activity = Activity;
        Activity = null;
        if (activity != null)
        {
            ActivityRecorder.Stop(activity, null);
        }
    }

    /// <summary>Moves from <paramref name="expected"/> to the next version; false if someone else already did.</summary>
    internal bool TryAdvance(int expected) =>
        Interlocked.CompareExchange(ref Version, unchecked(expected + 1), expected) == expected;
}
