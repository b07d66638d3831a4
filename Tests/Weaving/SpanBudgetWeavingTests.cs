using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using NUnit.Framework;
using Tests.Activities;

namespace Tests.Weaving;

/// <summary>
/// <c>MaxSpansPerSecond</c>: woven methods of every shape ask the budget at the enter, so a call that is let through
/// writes its enter and its exit, and a refused call writes neither and is counted. The ceiling is 1 per second and
/// the loops far longer than one span, so the assertions hold however slow or fast the machine is. Each test calls
/// its own methods, whose budgets no other test has used.
/// </summary>
[NonParallelizable]
public class SpanBudgetWeavingTests
{
    const string Source = @"
using System.Collections.Generic;
using System.Threading.Tasks;
namespace Budget
{
    public static class Work
    {
        public static int Add(int a, int b) => a + b + Helper();
        public static int Mul(int a, int b) => a * b + Helper();
        public static int Throws(int a) => a > 0 ? throw new System.InvalidOperationException() : Helper();
        public static async Task<int> AddAsync(int a) { await Task.Yield(); return a + Helper(); }
        public static IEnumerable<int> Range(int n) { for (var i = 0; i < n; i++) yield return i + Helper(); }
        static int Helper() => 0;
    }
}";

    // Woven once: each weave is a fresh assembly with fresh budgets.
    static readonly System.Lazy<System.Reflection.Assembly> WovenOnce = new(() => WeavingFixture.WeaveFile(
        SnippetCompiler.CompileToFile(Source, "SpanBudget"),
        "span-budget",
        "<SysdigTracers IncludeNamespaces='Budget' Arguments='true' ReturnValue='true' MaxSpansPerSecond='1' />").Assembly);

    static System.Reflection.Assembly Woven => WovenOnce.Value;

    static object? Run(string method, params object?[] args) =>
        Woven.GetType("Budget.Work")!.GetMethod(method)!.Invoke(null, args);

    [Test]
    public void EveryWrittenEnterGetsItsExitAndRefusedCallsAreCounted()
    {
        const int calls = 2000;
        var skippedBefore = SysdigTracers.Tracer.SkippedSpans;
        var outcome = WeavingFixture.Observe(() =>
        {
            long sum = 0;
            for (var i = 0; i < calls; i++)
            {
                sum += (int)Run("Add", i, 1)!;
            }

            return sum;
        });

        Assert.That(outcome.Result, Is.EqualTo(Enumerable.Range(1, calls).Sum().ToString()), "every call still ran");
        AssertPairs(outcome.Tracers, "Budget.Work.Add", calls);
        Assert.That(SysdigTracers.Tracer.SkippedSpans - skippedBefore, Is.GreaterThanOrEqualTo(calls - outcome.Tracers.Count / 2));
    }

    [Test]
    public void ASkippedSpanStartsNoActivity()
    {
        const int calls = 2000;
        using var capture = new SpanCapture();
        var outcome = WeavingFixture.Observe(() =>
        {
            for (var i = 0; i < calls; i++)
            {
                Run("Mul", i, 2);
            }

            return null;
        });

        AssertPairs(outcome.Tracers, "Budget.Work.Mul", calls);
        Assert.That(capture.Spans.Count(s => s.DisplayName == "Work.Mul"), Is.EqualTo(outcome.Tracers.Count / 2), "one Activity per written span");
    }

    [Test]
    public void ThrowingAsyncAndIteratorCallsArePairedUnderTheCeiling()
    {
        const int calls = 300;
        var outcome = WeavingFixture.Observe(() =>
        {
            for (var i = 0; i < calls; i++)
            {
                Assert.Throws<System.Reflection.TargetInvocationException>(() => Run("Throws", 1));
                Assert.That(((Task<int>)Run("AddAsync", i)!).Result, Is.EqualTo(i));
                Assert.That(((IEnumerable<int>)Run("Range", 3)!).Sum(), Is.EqualTo(3));
            }

            return null;
        });

        // Async continuations may write on other threads; the thread-local capture sees the enters and the exits
        // of the calls that completed here, so only the synchronous and iterator pairs are checked one by one.
        AssertPairs(outcome.Tracers.Where(t => t.Contains("Budget.Work.Throws")).ToList(), "Budget.Work.Throws", calls);
        AssertPairs(outcome.Tracers.Where(t => t.Contains("Budget.Work.Range")).ToList(), "Budget.Work.Range", calls);
        Assert.That(outcome.Tracers.Count(t => t.StartsWith(">") && t.Contains("Budget.Work.AddAsync")), Is.InRange(1, calls - 1));
    }

    /// <summary>Enters and exits of one method alternate, there is at least one pair and fewer than calls.</summary>
    static void AssertPairs(IReadOnlyList<string> tracers, string tag, int calls)
    {
        Assert.That(tracers.Count % 2, Is.Zero, string.Join("\n", tracers.Take(10)));
        for (var i = 0; i < tracers.Count; i += 2)
        {
            Assert.That(tracers[i], Does.StartWith(">:").And.Contain(":" + tag + ":"), $"tracer {i}");
            Assert.That(tracers[i + 1], Does.StartWith("<:").And.Contain(":" + tag + ":"), $"tracer {i + 1}");
            Assert.That(tracers[i + 1].Split(':')[1], Is.EqualTo(tracers[i].Split(':')[1]), "same span id");
        }

        Assert.That(tracers.Count / 2, Is.InRange(1, calls - 1));
    }
}
