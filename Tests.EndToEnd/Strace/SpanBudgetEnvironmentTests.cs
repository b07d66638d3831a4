using System.Collections.Generic;
using NUnit.Framework;

namespace Tests.Runtime;

/// <summary>
/// <c>SYSDIG_TRACERS_MAX_SPANS_PER_SECOND</c> replaces the woven ceiling when it is a whole number, in a process
/// started with it (the runtime reads it once).
/// </summary>
public class SpanBudgetEnvironmentTests
{
    [TestCase("1", true)]
    [TestCase(" 2 ", true)]
    [TestCase("0", false)]
    [TestCase("many", false)]
    [TestCase("-5", false)]
    public void TheEnvironmentReplacesTheWovenCeiling(string value, bool limits)
    {
        const int calls = 100_000;
        ProbeResult result = ProbeRunner.RunProbe(
            new Dictionary<string, string?> { ["SYSDIG_TRACERS_MAX_SPANS_PER_SECOND"] = value },
            "budget", calls.ToString());
        Assert.That(result.ExitCode, Is.Zero, result.StandardError);
        var counts = result.StandardOutput.Trim().Split(' ');
        int admitted = int.Parse(counts[0].Split('=')[1]);
        long skipped = long.Parse(counts[1].Split('=')[1]);
        if (limits)
        {
            Assert.That(admitted, Is.InRange(1, calls - 1));
            Assert.That(skipped, Is.EqualTo(calls - admitted));
        }
        else
        {
            Assert.That(admitted, Is.EqualTo(calls));
            Assert.That(skipped, Is.Zero);
        }
    }
}
