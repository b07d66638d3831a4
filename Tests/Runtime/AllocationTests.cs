using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using SysdigTracers;
using SysdigTracers.Infrastructure;

namespace Tests.Runtime;

/// <summary>
/// The hot paths allocate nothing per tracer (measured on the calling thread, warm). No recording is open in
/// these tests' context, so nothing copies the tracers they count.
/// </summary>
public class AllocationTests
{
    private const int Calls = 10_000;

    private static readonly MethodTracer NoArgs = new("Alloc.NoArgs");
    private static readonly MethodTracer TwoArgs = new("Alloc.TwoArgs", new[] { "id", "name" });

    [Test]
    public void Method_without_arguments() => AssertNoAllocation(() =>
    {
        NoArgs.Enter();
        NoArgs.Exit(null);
        NoArgs.Enter(123456789);
        NoArgs.Exit(123456789, null);
    });

    [Test]
    public void Method_with_int_long_bool_and_string_arguments_and_return_values() => AssertNoAllocation(() =>
    {
        TracerArgs args = TwoArgs.BeginEnter(0);
        args.Add(42);
        args.Add("order-17");
        args.Write();
        TwoArgs.ExitWithReturn(0, null, 5L);
        args = TwoArgs.BeginEnter(99);
        args.Add(true);
        args.Add(-3L);
        args.Write();
        TwoArgs.ExitWithReturn(99, null, "done");
    });

    [Test]
    public void Manual_spans_with_arguments_and_children() => AssertNoAllocation(() =>
    {
        using TracerSpan span = Tracer.Begin("orders.place", SpanId.Process).Arg("id", 42).Arg("name", "x").Start();
        using (span.Child("db"))
        {
        }

        span.Arg("ok", true).Arg("n", 7L);
    });

    [Test]
    public void Disabled_tracing() => AssertNoAllocation(() =>
    {
        Tracer.Enabled = false;
        using TracerSpan span = Tracer.Begin("orders.place").Arg("id", 42).Start();
        span.Arg("x", "y");
        Tracer.Enabled = true;
    });

    // Up to three measured rounds, and the fewest bytes count: a one-off allocation on the thread during a round (a
    // per-thread pool found empty once, the runtime's own bookkeeping) is not one per call, which every round would show.
    private static void AssertNoAllocation(Action call)
    {
        for (int i = 0; i < 1_000; i++)
        {
            call();
        }

        var rounds = new List<long>();
        for (int round = 0; round < 3 && (rounds.Count == 0 || rounds[^1] != 0); round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < Calls; i++)
            {
                call();
            }

            rounds.Add(GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.That(rounds.Min(), Is.Zero, $"bytes allocated over {Calls} calls, in each round: {string.Join(", ", rounds)}");
    }
}
