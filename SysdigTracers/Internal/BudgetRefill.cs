using System;
using System.Threading;

namespace SysdigTracers.Internal;

/// <summary>
/// The one ticker that refills every <see cref="SpanBudget"/> of the process once a second, and the count of skipped
/// spans it keeps on the way: the hot path of a budget reads no clock and counts nothing but its own decrement, or, in
/// a window already spent, the refusal in its thread's own <see cref="ThreadRefusals"/>.
/// </summary>
/// <remarks>
/// Budgets are held for the life of the process (one per woven assembly, and one per woven method with a per-method
/// ceiling); they reference no method or assembly, so a collectible woven assembly still unloads. The
/// timer starts with the first budget and runs on the thread pool without the creator's execution context, so it
/// holds no <c>Activity.Current</c> or other async-local value of the call that happened to create it. It does not
/// keep the process alive. Each thread that has had a span refused is held here too, until a tick after it has ended
/// adds its count to the total and lets it go.
/// </remarks>
internal static class BudgetRefill
{
    private const int PeriodMilliseconds = 1000;

    private static readonly object s_lock = new();
    private static SpanBudget[] s_budgets = new SpanBudget[16];
    private static int s_count;
    private static ThreadRefusals[] s_threads = new ThreadRefusals[16];
    private static int s_threadCount;
    private static long s_skipped;
    private static long s_unregistered;
    private static long s_ticks;
    private static Timer? s_timer;

    /// <summary>
    /// Spans refused since the process started: those of ended windows and of ended threads, counted at each refill,
    /// the current windows' deficits and every living thread's count, so the count is exact and current.
    /// </summary>
    internal static long Skipped
    {
        get
        {
            lock (s_lock)
            {
                long total = s_skipped + Interlocked.Read(ref s_unregistered);
                for (int i = 0; i < s_count; i++)
                {
                    total += s_budgets[i].Deficit();
                }

                for (int i = 0; i < s_threadCount; i++)
                {
                    total += s_threads[i].Count;
                }

                return total;
            }
        }
    }

    /// <summary>How many threads' counts of refused spans are held (tests tell from it that ended threads are let go).</summary>
    internal static int Threads
    {
        get
        {
            lock (s_lock)
            {
                return s_threadCount;
            }
        }
    }

    /// <summary>How many windows have started since the process started (tests tell from it whether one did).</summary>
    internal static long Ticks => Interlocked.Read(ref s_ticks);

    internal static void Register(SpanBudget budget)
    {
        lock (s_lock)
        {
            if (s_count == s_budgets.Length)
            {
                Array.Resize(ref s_budgets, s_count * 2);
            }

            s_budgets[s_count++] = budget;
            s_timer ??= StartTimer();
        }
    }

    internal static void Register(ThreadRefusals thread)
    {
        lock (s_lock)
        {
            if (s_threadCount == s_threads.Length)
            {
                Array.Resize(ref s_threads, s_threadCount * 2);
            }

            s_threads[s_threadCount++] = thread;
        }
    }

    /// <summary>Counts a refused span of a thread whose own count could not be made (out of memory).</summary>
    internal static void CountUnregistered() => Interlocked.Increment(ref s_unregistered);

    /// <summary>
    /// Starts a window for every budget, and lets go of the counts of threads that have ended; what the refill timer
    /// does once a second.
    /// </summary>
    internal static void Tick()
    {
        lock (s_lock)
        {
            for (int i = 0; i < s_count; i++)
            {
                s_skipped += s_budgets[i].Refill();
            }

            for (int i = s_threadCount - 1; i >= 0; i--)
            {
                ThreadRefusals thread = s_threads[i];
                if (!thread.Owner.IsAlive)
                {
                    s_skipped += thread.Count;
                    s_threads[i] = s_threads[--s_threadCount];
                    s_threads[s_threadCount] = null!;
                }
            }

            Interlocked.Increment(ref s_ticks);
        }
    }

    private static Timer? StartTimer()
    {
        try
        {
            if (ExecutionContext.IsFlowSuppressed())
            {
                return NewTimer();
            }

            using (ExecutionContext.SuppressFlow())
            {
                return NewTimer();
            }
        }
        catch
        {
            // No timer (the platform refused one): the next budget tries again; until then the first windows last.
            return null;
        }
    }

    private static Timer NewTimer() => new(OnTimer, null, PeriodMilliseconds, PeriodMilliseconds);

    private static void OnTimer(object? state)
    {
        try
        {
            Tick();
        }
        catch
        {
            // A timer callback that throws ends the process; a refill has nothing that can, but nothing may.
        }
    }
}
