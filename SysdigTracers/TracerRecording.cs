using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;

namespace SysdigTracers;

/// <summary>
/// Records, in memory, the tracers written by the code that runs inside it: for tests that assert what their
/// traced code writes, with any test framework.
/// </summary>
/// <remarks>
/// <para>
/// A recording follows the execution context, as <see cref="AsyncLocal{T}"/> does: it sees the tracers written
/// by the code that started it and by everything that code runs and awaits, on any thread (tasks, awaits,
/// <c>Parallel</c>, threads started inside it), until it is disposed. Tests that run in parallel each see
/// their own tracers. A recording started inside another one is nested: both see the tracers written
/// while the inner one is open. Work that does not flow the execution context (a thread started before the
/// recording, <c>ThreadPool.UnsafeQueueUserWorkItem</c>) is not seen.
/// </para>
/// <para>
/// Recording changes nothing of what is written to sysdig, and costs nothing while no recording is open.
/// It records only what is written: with tracing off (<see cref="Tracer.Enabled"/>) it stays empty.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// using var recording = TracerRecording.Start();
/// checkout.Place(cart);
/// Assert.Equal(new[] { ">:t:MyShop.Orders.Checkout.Place::", "&lt;:t:MyShop.Orders.Checkout.Place::" }, recording.Tracers);
/// </code>
/// </example>
public sealed class TracerRecording : IDisposable
{
    private static readonly AsyncLocal<TracerRecording?> s_innermost = new AsyncLocal<TracerRecording?>();
    private static int s_open;

    private readonly TracerRecording? _outer;
    private readonly List<byte[]> _tracers = new List<byte[]>();
    private bool _disposed;

    private TracerRecording(TracerRecording? outer) => _outer = outer;

    /// <summary>The tracers recorded so far, in the order they were written, as UTF-8 text (<c>&gt;:t:tag:args:</c>).</summary>
    public IReadOnlyList<string> Tracers
    {
        get
        {
            byte[][] bytes = Snapshot();
            string[] texts = new string[bytes.Length];
            for (int i = 0; i < bytes.Length; i++)
            {
                texts[i] = Encoding.UTF8.GetString(bytes[i]);
            }

            return texts;
        }
    }

    /// <summary>The tracers recorded so far, in the order they were written, as the exact bytes sysdig receives.</summary>
    public IReadOnlyList<byte[]> TracerBytes => Snapshot();

    /// <summary>Starts a recording in the current execution context; dispose it to stop.</summary>
    /// <returns>The recording.</returns>
    public static TracerRecording Start()
    {
        var recording = new TracerRecording(s_innermost.Value);
        s_innermost.Value = recording;
        Interlocked.Increment(ref s_open);
        return recording;
    }

    /// <summary>Forgets the tracers recorded so far; the recording goes on.</summary>
    public void Clear()
    {
        lock (_tracers)
        {
            _tracers.Clear();
        }
    }

    /// <summary>Stops recording (the tracers recorded stay readable) and makes the enclosing recording, if any, the innermost again.</summary>
    public void Dispose()
    {
        lock (_tracers)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        Interlocked.Decrement(ref s_open);
        if (ReferenceEquals(s_innermost.Value, this))
        {
            s_innermost.Value = _outer;
        }
    }

    /// <summary>Hands a copy of a tracer just written to every open recording of the writing context. Never throws.</summary>
    internal static unsafe void Notify(byte* tracer, int length)
    {
        if (Volatile.Read(ref s_open) == 0)
        {
            return;
        }

        try
        {
            byte[]? copy = null;
            for (TracerRecording? recording = s_innermost.Value; recording != null; recording = recording._outer)
            {
                if (copy == null)
                {
                    copy = new byte[length];
                    for (int i = 0; i < length; i++)
                    {
                        copy[i] = tracer[i];
                    }
                }

                recording.Add(copy);
            }
        }
        catch
        {
            // Recording must not change what the traced code sees.
        }
    }

    private void Add(byte[] tracer)
    {
        lock (_tracers)
        {
            if (!_disposed)
            {
                _tracers.Add(tracer);
            }
        }
    }

    private byte[][] Snapshot()
    {
        lock (_tracers)
        {
            return _tracers.ToArray();
        }
    }
}
