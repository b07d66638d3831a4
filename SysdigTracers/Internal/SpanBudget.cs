using System;
using System.Threading;

namespace SysdigTracers.Internal;

/// <summary>
/// The ceiling on spans per second of one woven method: a one-second window on the coarse millisecond clock
/// (<see cref="Environment.TickCount"/>, which wraps, so only differences are compared) and a count of the spans let
/// through in it. Threads that race at a window's start may let a few more through than the ceiling; a refused call
/// is counted in <see cref="Tracer.SkippedSpans"/>.
/// </summary>
internal sealed class SpanBudget
{
    private const uint WindowMilliseconds = 1000;

    private static long s_skipped;

    private readonly int _ceiling;
    private int _windowStart;
    private int _admitted;

    internal SpanBudget(int ceiling)
    {
        _ceiling = ceiling;
        _windowStart = Environment.TickCount;
    }

    /// <summary>Spans refused by every budget of the process since it started.</summary>
    internal static long Skipped => Interlocked.Read(ref s_skipped);

    // The count keeps growing past the ceiling within a window; a call takes tens of nanoseconds, so it cannot reach
    // int.MaxValue in one second.
    internal bool Admit()
    {
        int now = Environment.TickCount;
        int start = Volatile.Read(ref _windowStart);
        if (unchecked((uint)(now - start)) >= WindowMilliseconds &&
            Interlocked.CompareExchange(ref _windowStart, now, start) == start)
        {
            Volatile.Write(ref _admitted, 0);
        }

        if (Interlocked.Increment(ref _admitted) <= _ceiling)
        {
            return true;
        }

        Interlocked.Increment(ref s_skipped);
        return false;
    }
}
