using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using SysdigTracers.Internal;

namespace SysdigTracers.Infrastructure;

/// <summary>
/// Infrastructure for code woven by SysdigTracers.Fody: builds one tracer with arguments in a reused per-thread
/// buffer, and sets the same values as tags of the call's Activity when it has one. Obtained from
/// <see cref="MethodTracer.BeginEnter(long, bool, object?)"/>; call <see cref="Add{T}"/> once per
/// argument name, then <see cref="Write"/> once.
/// </summary>
/// <remarks>
/// A mutable struct meant to live in a local: copies do not share progress. The default value, and a value whose
/// <see cref="Write"/> already ran, ignore every call. With the <c>CallToString</c> option, formatting an argument may
/// run user code (<c>ToString</c>), including other traced methods on the same thread; that is safe, as the buffer is
/// owned by this value until <see cref="Write"/>. Arguments beyond the tracer's 4096-byte budget are cut short or dropped; nothing here throws.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public unsafe struct TracerArgs
{
    private readonly MethodTracer? _tracer;
    private readonly Activity? _activity;
    private readonly int _argumentsStart;
    private byte[]? _buffer;
    private int _length;
    private int _next;
    private bool _full;

    internal TracerArgs(MethodTracer tracer, byte[] buffer, int length)
        : this(tracer, buffer, length, length, null)
    {
    }

    // argumentsStart: where the arguments begin (after the header); length: what the buffer holds so far.
    internal TracerArgs(MethodTracer tracer, byte[]? buffer, int argumentsStart, int length, Activity? activity)
    {
        _tracer = tracer;
        _activity = activity;
        _buffer = buffer;
        _length = length;
        _argumentsStart = argumentsStart;
        _next = 0;
    }

    /// <summary>Appends the next argument, named by the method tracer's next argument name.</summary>
    /// <typeparam name="T">
    /// The value's type; primitives and strings are formatted without allocating. Values of types other than the
    /// well-known value-like ones are written as their type's name, or with <c>ToString()</c> when the method tracer
    /// has the <c>CallToString</c> option.
    /// </typeparam>
    /// <param name="value">The value; <see langword="null"/> is written as <c>null</c>.</param>
    // Inlined into the woven method, where T is exact: the tag's conversion is chosen when the JIT compiles the caller,
    // and the tracer side, which a call without sysdig skips, is a call of its own.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add<T>(T value)
    {
        MethodTracer? tracer = _tracer;
        if (tracer == null)
        {
            return;
        }

        string[] keys = tracer.ArgumentKeys;
        int index = _next++;
        if ((uint)index >= (uint)keys.Length)
        {
            return;
        }

        object? shared = null;
        bool isShared = false;
        Activity? activity = _activity;
        if (activity != null)
        {
            if (ValueFormatter.HasDedicatedFormat<T>())
            {
                ActivityRecorder.SetTag(activity, keys[index], value, tracer.CallToString);
            }
            else
            {
                // Formatted once for both sinks: with CallToString, ToString is user code, and may itself be traced.
                shared = ActivityRecorder.SetObjectTag(activity, keys[index], value, tracer.CallToString);
                isShared = true;
            }
        }

        if (_buffer != null && !_full)
        {
            AppendToTracer(tracer, index, value, shared, isShared);
        }
    }

    /// <summary>
    /// Appends the next argument with the value <c>&lt;redacted&gt;</c>, in both sinks: woven code calls this, without
    /// reading the value, for a parameter whose name says it holds a secret.
    /// </summary>
    public void AddRedacted()
    {
        MethodTracer? tracer = _tracer;
        if (tracer == null)
        {
            return;
        }

        int index = _next++;
        if (index >= tracer.ArgumentKeys.Length)
        {
            return;
        }

        if (_activity != null)
        {
            ActivityRecorder.SetTag(_activity, tracer.ArgumentKeys[index], ValueFormatter.Redacted, callToString: false);
        }

        if (_buffer != null && !_full)
        {
            AppendToTracer<object?>(tracer, index, null, null, isShared: false, redacted: true);
        }
    }

    private void AppendToTracer<T>(MethodTracer tracer, int index, T value, object? shared, bool isShared, bool redacted = false)
    {
        fixed (byte* p = _buffer)
        {
            var writer = new TracerWriter(p, _length);
            if (writer.BeginArgument(tracer.ArgumentNames[index], first: _length == _argumentsStart))
            {
                if (redacted)
                {
                    writer.AppendLiteral(ValueFormatter.Redacted);
                }
                else if (isShared)
                {
                    ValueFormatter.AppendShared(ref writer, value, shared);
                }
                else
                {
                    ValueFormatter.Append(ref writer, value, tracer.CallToString);
                }
            }

            _length = writer.Length;
            _full = writer.Full;
        }
    }

    /// <summary>Writes the tracer with one <c>write(2)</c> and releases the buffer.</summary>
    public void Write()
    {
        byte[]? buffer = _buffer;
        if (buffer == null)
        {
            return;
        }

        _buffer = null;
        fixed (byte* p = buffer)
        {
            var writer = new TracerWriter(p, _length);
            writer.Close();
            TracerSink.Emit(p, writer.Length);
        }

        ThreadBuffer.Return(buffer);
    }
}
