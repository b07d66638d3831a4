using System.Runtime.CompilerServices;
using System.Threading;

namespace SysdigTracers.Internal;

/// <summary>
/// A ceiling on spans per second: of one woven method, or of every woven method of one assembly together. A call
/// takes one span from what is left of the current window with an interlocked decrement; a call that finds the window
/// already spent is refused by a plain read, writes nothing the budget's other callers read, and is counted on its own
/// thread (<see cref="ThreadRefusals"/>). <see cref="BudgetRefill"/> puts the ceiling back once a second, for every
/// budget of the process at once, and adds what the window overdrew (calls that found a span left and lost it to
/// another thread) to the count of skipped spans.
/// </summary>
/// <remarks>
/// A window is the time between two ticks of the one refill timer, about a second; the first window of a budget runs
/// from its creation to the next tick, so it is shorter. Each window admits at most the ceiling, however many threads
/// race: the decrement decides, the read before it only spares the calls that could not win.
/// </remarks>
internal sealed class SpanBudget
{
    private readonly long _ceiling;
    private readonly SpanBudget? _then;
    private long _remaining;

    /// <summary>Creates a budget and registers it for the refill.</summary>
    /// <param name="ceiling">The most spans per window, from 1 up.</param>
    /// <param name="then">
    /// A budget asked next when this one admits a call (the assembly's after a method's), or <see langword="null"/>.
    /// A call refused here takes nothing from it, and while its window is spent, a call takes nothing from this one.
    /// </param>
    internal SpanBudget(int ceiling, SpanBudget? then = null)
    {
        _ceiling = ceiling;
        _remaining = ceiling;
        _then = then;
        BudgetRefill.Register(this);
    }

    /// <summary>Spans refused by every budget of the process since it started, the current windows included.</summary>
    internal static long Skipped => BudgetRefill.Skipped;

    /// <summary>
    /// The ceiling for a woven method: its own (<paramref name="ceiling"/>, 0 for none) asked first, then the
    /// assembly's (<paramref name="assembly"/>, null for none); null when there is neither.
    /// </summary>
    internal static SpanBudget? For(int ceiling, SpanBudget? assembly) =>
        ceiling > 0 ? new SpanBudget(ceiling, assembly) : assembly;

    /// <summary>
    /// Whether the window of this budget, or of the one asked next, is spent: no call can be admitted until the refill.
    /// A plain read of each, no write.
    /// </summary>
    internal bool Spent => Volatile.Read(ref _remaining) <= 0 || (_then != null && Volatile.Read(ref _then._remaining) <= 0);

    /// <summary>
    /// Whether the call may start a span; a refused call is counted as skipped. In a spent window (<see cref="Spent"/>)
    /// the call is refused without an interlocked operation.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // into MethodTracer's out-of-line decision: one call a refusal
    internal bool Admit()
    {
        if (Spent)
        {
            ThreadRefusals.CountOne();
            return false;
        }

        return Take();
    }

    private bool Take() => Interlocked.Decrement(ref _remaining) >= 0 && (_then == null || _then.Take());

    /// <summary>Starts a window: the ceiling back, and what the ending window refused.</summary>
    internal long Refill()
    {
        long left = Interlocked.Exchange(ref _remaining, _ceiling);
        return left < 0 ? -left : 0;
    }

    /// <summary>What the current window has refused so far.</summary>
    internal long Deficit()
    {
        long left = Volatile.Read(ref _remaining);
        return left < 0 ? -left : 0;
    }
}
