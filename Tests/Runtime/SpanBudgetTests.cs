using NUnit.Framework;
using SysdigTracers;
using SysdigTracers.Infrastructure;
using SysdigTracers.Internal;

namespace Tests.Runtime;

/// <summary>
/// The per-method ceiling on spans per second, as <see cref="MethodTracer.StartActivity"/> decides it at the enter.
/// The environment override is covered by the probe (Tests.EndToEnd, SpanBudgetEnvironmentTests).
/// </summary>
public class SpanBudgetTests
{
    static MethodTracer Method(int maxSpansPerSecond) =>
        new("budget.test", null, new TracedAssembly("Tests.Budget", null, false, maxSpansPerSecond), "budget.test", null, null, 0, false);

    [Test]
    public void ACeilingAdmitsSomeCallsAndCountsTheRest()
    {
        const int calls = 10_000;
        var method = Method(1);
        long before = Tracer.SkippedSpans;
        int admitted = 0;
        for (int i = 0; i < calls; i++)
        {
            bool write = true;
            Assert.That(method.StartActivity(ref write), Is.Null, "nothing listens");
            admitted += write ? 1 : 0;
        }

        // At least the first call of the first window; fewer than all unless the loop took thousands of seconds.
        Assert.That(admitted, Is.InRange(1, calls - 1));
        Assert.That(Tracer.SkippedSpans - before, Is.GreaterThanOrEqualTo(calls - admitted));
    }

    [Test]
    public void ACallThatWritesNowhereTakesNothingFromTheBudget()
    {
        var method = Method(1);
        for (int i = 0; i < 1000; i++)
        {
            bool write = false;
            method.StartActivity(ref write);
        }

        bool first = true;
        method.StartActivity(ref first);
        Assert.That(first, Is.True, "tracing off and no listener: the calls before were not spans");
    }

    [Test]
    public void WithoutACeilingEveryCallIsAdmitted()
    {
        var method = Method(0);
        for (int i = 0; i < 10_000; i++)
        {
            bool write = true;
            method.StartActivity(ref write);
            Assert.That(write, Is.True);
        }
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
