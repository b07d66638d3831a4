using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;

namespace SysdigTracers.Internal;

/// <summary>
/// The spans one thread found refused without taking anything from a budget (its window was already spent): a count
/// written by that thread alone, so that threads refused at once write no shared cache line. <see cref="BudgetRefill"/>
/// holds every thread's count and adds them to the skipped spans.
/// </summary>
/// <remarks>
/// The count sits in the middle of 128 bytes of its own, so that two threads' counts never share a cache line, even
/// after the garbage collector has moved their objects next to each other.
/// </remarks>
internal sealed class ThreadRefusals
{
    [ThreadStatic]
    private static ThreadRefusals? t_current;

    private PaddedCount _count;

    private ThreadRefusals(Thread owner) => Owner = owner;

    /// <summary>The thread that counts here; once it has ended, the count is final.</summary>
    internal Thread Owner { get; }

    /// <summary>The spans refused on <see cref="Owner"/> so far.</summary>
    internal long Count => Volatile.Read(ref _count.Value);

    /// <summary>
    /// Counts one refused span on the calling thread. The first on a thread registers its count with
    /// <see cref="BudgetRefill"/>; after that, a plain read and write of the thread's own count. Never throws.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void CountOne()
    {
        ThreadRefusals? mine = t_current ?? Register();
        if (mine == null)
        {
            BudgetRefill.CountUnregistered();
            return;
        }

        Volatile.Write(ref mine._count.Value, mine._count.Value + 1);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ThreadRefusals? Register()
    {
        try
        {
            var mine = new ThreadRefusals(Thread.CurrentThread);
            BudgetRefill.Register(mine);
            t_current = mine;
            return mine;
        }
        catch
        {
            // No memory for the count or the registry's growth: this refusal is counted where all threads share it.
            return null;
        }
    }

    [StructLayout(LayoutKind.Explicit, Size = 128)]
    private struct PaddedCount
    {
        [FieldOffset(64)]
        public long Value;
    }
}
