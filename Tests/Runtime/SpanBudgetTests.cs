using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;
using SysdigTracers;
using SysdigTracers.Infrastructure;
using SysdigTracers.Internal;

namespace Tests.Runtime;

/// <summary>
/// The ceilings on spans per second, per method and per assembly: <see cref="SpanBudget"/>, refilled by
/// <see cref="BudgetRefill"/>, as <see cref="MethodTracer.StartActivity"/> asks them at the enter. A window is the
/// time between two refills; the process's refill timer may start one at any moment, so the tests that count a
/// window exactly start one themselves (<see cref="BudgetRefill.Tick"/>) and try again when the timer started
/// another meanwhile. The environment overrides are covered by the probe and ScaleHost (Tests.EndToEnd).
/// </summary>
[NonParallelizable]
public class SpanBudgetTests
{
    static MethodTracer Method(TracedAssembly assembly, string tag = "budget.test") =>
        new(tag, null, assembly, tag, null, null, 0, false);

    static MethodTracer Method(int maxSpansPerSecond) =>
        Method(new TracedAssembly("Tests.Budget", null, false, maxSpansPerSecond, 0));

    static int Admitted(SpanBudget budget, int calls) => Enumerable.Range(0, calls).Count(_ => budget.Admit());

    static int Admitted(MethodTracer method, int calls)
    {
        int admitted = 0;
        for (int i = 0; i < calls; i++)
        {
            bool write = true;
            Assert.That(method.StartActivity(ref write), Is.Null, "nothing listens");
            admitted += write ? 1 : 0;
        }

        return admitted;
    }

    /// <summary>
    /// Runs <paramref name="window"/> right after a refill, again until no refill but those it asked for (with the
    /// action it is given) came in between, and returns what it measured then. Assertions go after it: one that
    /// failed in an attempt the timer spoiled would fail the test.
    /// </summary>
    static T InOneWindow<T>(Func<Action, T> window)
    {
        for (int attempt = 0; attempt < 20; attempt++)
        {
            BudgetRefill.Tick();
            long ticks = BudgetRefill.Ticks;
            int own = 0;
            T measured = window(() =>
            {
                own++;
                BudgetRefill.Tick();
            });
            if (BudgetRefill.Ticks == ticks + own)
            {
                return measured;
            }
        }

        throw new InvalidOperationException("the refill timer started a window during every attempt");
    }

    [Test]
    public void EachWindowAdmitsTheCeilingAndCountsTheRestAtOnce()
    {
        var budget = new SpanBudget(5);
        var (admitted, live, refilled, next, total) = InOneWindow(refill =>
        {
            long before = Tracer.SkippedSpans;
            int admitted = Admitted(budget, 20);
            long live = Tracer.SkippedSpans - before;
            refill();
            long refilled = Tracer.SkippedSpans - before;
            return (admitted, live, refilled, Admitted(budget, 7), Tracer.SkippedSpans - before);
        });
        Assert.That(admitted, Is.EqualTo(5));
        Assert.That(live, Is.EqualTo(15), "the window under way counts its refused calls");
        Assert.That(refilled, Is.EqualTo(15), "a refill keeps them counted");
        Assert.That(next, Is.EqualTo(5), "the next window has the whole ceiling again");
        Assert.That(total, Is.EqualTo(17));
    }

    [Test]
    public void RacingThreadsTakeExactlyTheCeiling()
    {
        const int threads = 4;
        const int callsPerThread = 20_000;
        const int ceiling = 1000;
        var budget = new SpanBudget(ceiling);
        var (admitted, skipped) = InOneWindow(_ =>
        {
            long before = Tracer.SkippedSpans;
            var start = new Barrier(threads);
            int admitted = Task.WhenAll(Enumerable.Range(0, threads).Select(_ => Task.Factory.StartNew(
                () =>
                {
                    start.SignalAndWait();
                    return Admitted(budget, callsPerThread);
                },
                TaskCreationOptions.LongRunning))).Result.Sum();
            return (admitted, Tracer.SkippedSpans - before);
        });
        Assert.That(admitted, Is.EqualTo(ceiling));
        Assert.That(skipped, Is.EqualTo(threads * callsPerThread - ceiling));
    }

    [Test]
    public void ASpentWindowRefusesWithoutWritingTheBudget()
    {
        // The method's budget has spans left, the assembly's is spent: refused by reading both, neither is decremented.
        var assembly = new SpanBudget(1);
        var method = new SpanBudget(3, assembly);
        var (admitted, skipped, assemblyDeficit, methodDeficit, spent) = InOneWindow(_ =>
        {
            long before = Tracer.SkippedSpans;
            int admitted = Admitted(method, 1000);
            return (admitted, Tracer.SkippedSpans - before, assembly.Deficit(), method.Deficit(), method.Spent);
        });
        Assert.That(admitted, Is.EqualTo(1));
        Assert.That(skipped, Is.EqualTo(999), "counted on the calling thread, exact and current");
        Assert.That(assemblyDeficit, Is.Zero, "a spent window is read, not decremented");
        Assert.That(methodDeficit, Is.Zero);
        Assert.That(spent, Is.True);
    }

    [Test]
    public void RefusalsOnThreadsThatEndedStayCountedAndTheirCountsAreLetGo()
    {
        const int threads = 8;
        const int refusedPerThread = 5000;
        var budget = new SpanBudget(1);
        Admitted(budget, 1);
        BudgetRefill.Tick();
        long before = Tracer.SkippedSpans;
        long refusedTotal = 0;
        var refused = new Barrier(threads + 1);
        var ending = new Barrier(threads + 1);
        var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
        {
            // Each thread's own window may open on a tick: count what this thread was refused, whatever the window.
            int refusedHere = refusedPerThread - Admitted(budget, refusedPerThread);
            Interlocked.Add(ref refusedTotal, refusedHere);
            refused.SignalAndWait();
            ending.SignalAndWait();
        })).ToList();
        workers.ForEach(worker => worker.Start());
        refused.SignalAndWait();
        int heldWhileAlive = BudgetRefill.Threads;
        ending.SignalAndWait();
        workers.ForEach(worker => worker.Join());

        Assert.That(heldWhileAlive, Is.GreaterThanOrEqualTo(threads), "each refused thread holds a count");
        Assert.That(Tracer.SkippedSpans - before, Is.EqualTo(refusedTotal), "ended threads' refusals, read before a tick");
        BudgetRefill.Tick();
        Assert.That(Tracer.SkippedSpans - before, Is.EqualTo(refusedTotal), "folded into the total by the tick");
        Assert.That(BudgetRefill.Threads, Is.LessThanOrEqualTo(heldWhileAlive - threads), "ended threads are let go");
        Assert.That(refusedTotal, Is.GreaterThan(threads * (refusedPerThread - 100)), "nearly every call was refused");
    }

    [Test]
    public void ThreadsRacingForTheLastSpansOfAWindowTakeExactlyTheCeiling()
    {
        // Every window starts with the ceiling and four threads released at once, each asking for more than it: the
        // decrements decide who wins the last spans, and every call is admitted or counted once.
        const int threads = 4;
        const int ceiling = 6;
        const int callsPerThread = 4;
        const int windows = 300;
        var budget = new SpanBudget(ceiling);
        var go = new Barrier(threads + 1);
        var done = new Barrier(threads + 1);
        var admittedBy = new int[threads];
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            for (int window = 0; window < windows; window++)
            {
                go.SignalAndWait();
                admittedBy[t] = Admitted(budget, callsPerThread);
                done.SignalAndWait();
            }
        })).ToList();
        workers.ForEach(worker => worker.Start());
        int clean = 0;
        var wrong = new System.Collections.Generic.List<string>();
        for (int window = 0; window < windows; window++)
        {
            BudgetRefill.Tick();
            long ticks = BudgetRefill.Ticks;
            long before = Tracer.SkippedSpans;
            go.SignalAndWait();
            done.SignalAndWait();
            int admitted = admittedBy.Sum();
            long skipped = Tracer.SkippedSpans - before;
            if (admitted + skipped != threads * callsPerThread)
            {
                wrong.Add($"window {window}: {admitted} admitted + {skipped} skipped");
            }

            if (BudgetRefill.Ticks == ticks)
            {
                clean++;
                if (admitted != ceiling)
                {
                    wrong.Add($"window {window}: {admitted} admitted of a ceiling of {ceiling}");
                }
            }
        }

        workers.ForEach(worker => worker.Join());
        Assert.That(wrong, Is.Empty);
        Assert.That(clean, Is.GreaterThan(windows / 2), "most windows ran without the timer's tick");
    }

    [Test]
    public void ARefusedCallAllocatesNothingAfterTheThreadsFirst()
    {
        var method = Method(1);
        Admitted(method, 10);
        long before = GC.GetAllocatedBytesForCurrentThread();
        int admitted = 0;
        for (int i = 0; i < 10_000; i++)
        {
            bool write = true;
            method.StartActivity(ref write);
            admitted += write ? 1 : 0;
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(allocated, Is.Zero);
        Assert.That(admitted, Is.LessThan(100), "the calls were refused, not written");
    }

    [Test]
    public void WhatEveryWindowAdmittedAndSkippedAddsUpToTheCalls()
    {
        // Whatever refills come in between: each call is admitted or counted as skipped, once.
        var budget = new SpanBudget(3);
        long before = Tracer.SkippedSpans;
        int admitted = 0;
        for (int window = 0; window < 50; window++)
        {
            admitted += Admitted(budget, 10);
            BudgetRefill.Tick();
        }

        Assert.That(admitted + Tracer.SkippedSpans - before, Is.EqualTo(500));
        Assert.That(admitted, Is.InRange(150, 3 * (50 + 50)), "3 per window, the timer's windows included");
    }

    [Test]
    public void TheRefillTimerStartsTheNextWindow()
    {
        var budget = new SpanBudget(1);
        Admitted(budget, 2);
        Assert.That(budget.Admit(), Is.False);
        long ticks = BudgetRefill.Ticks;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (BudgetRefill.Ticks == ticks && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            Thread.Sleep(20);
        }

        Assert.That(BudgetRefill.Ticks, Is.GreaterThan(ticks), "a tick within a second or so");
        Assert.That(budget.Admit(), Is.True);
    }

    [Test]
    public void TheMethodsBudgetComesFirstAndWhatItRefusesCostsTheAssemblyNothing()
    {
        var assembly = new SpanBudget(10);
        var method = new SpanBudget(2, assembly);
        var (throughMethod, direct, skipped) = InOneWindow(_ =>
        {
            long before = Tracer.SkippedSpans;
            return (Admitted(method, 5), Admitted(assembly, 10), Tracer.SkippedSpans - before);
        });
        Assert.That(throughMethod, Is.EqualTo(2));
        Assert.That(direct, Is.EqualTo(8), "the method's two spans came from the assembly's ten");
        Assert.That(skipped, Is.EqualTo(3 + 2), "each refused call counted once");
    }

    [Test]
    public void TheMethodsOfAnAssemblyShareItsCeiling()
    {
        var assembly = new TracedAssembly("Tests.Budget", null, false, 0, 6);
        var first = Method(assembly, "budget.first");
        var second = Method(assembly, "budget.second");
        var limited = new TracedAssembly("Tests.Budget", null, false, 2, 6);
        var third = Method(limited, "budget.third");
        var counts = InOneWindow(_ =>
        {
            long before = Tracer.SkippedSpans;
            return new[] { Admitted(first, 4), Admitted(second, 4), Admitted(first, 1), Admitted(third, 10), (int)(Tracer.SkippedSpans - before) };
        });
        // The second gets what the first left; the third, of another assembly, its method ceiling of 2 under its 6.
        Assert.That(counts, Is.EqualTo(new[] { 4, 2, 0, 2, 2 + 1 + 8 }));
    }

    [Test]
    public void ACallThatWritesNowhereTakesNothingFromTheBudget()
    {
        var method = Method(1);
        bool first = InOneWindow(_ =>
        {
            for (int i = 0; i < 1000; i++)
            {
                bool write = false;
                method.StartActivity(ref write);
            }

            bool first = true;
            method.StartActivity(ref first);
            return first;
        });
        Assert.That(first, Is.True, "tracing off and no listener: the calls before were not spans");
    }

    [Test]
    public void WithoutACeilingEveryCallIsAdmitted()
    {
        var method = Method(0);
        long before = Tracer.SkippedSpans;
        Assert.That(Admitted(method, 30_000), Is.EqualTo(30_000));
        Assert.That(Tracer.SkippedSpans, Is.EqualTo(before));
    }

    [Test]
    public void AnAssemblyWovenWithoutTheOptionHasTheDefaultCeiling()
    {
        var assembly = new TracedAssembly("Tests.Budget", null, false, 0);
        Assert.That(assembly.MaxAssemblySpansPerSecond, Is.EqualTo(Settings.MaxAssemblySpansPerSecond ?? 10000));
        Assert.That(TracedAssembly.DefaultMaxAssemblySpansPerSecond, Is.EqualTo(10000));
    }

    [TestCase("1", 1)]
    [TestCase(" 20 ", 20)]
    [TestCase("0", 0)]
    [TestCase("many", null)]
    [TestCase("-5", null)]
    [TestCase("", null)]
    public void TheEnvironmentVariableIsAWholeNumber(string value, int? ceiling) =>
        Assert.That(Settings.ParseCeiling(value), Is.EqualTo(ceiling));
}
