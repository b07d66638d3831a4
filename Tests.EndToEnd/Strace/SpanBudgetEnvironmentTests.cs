using System.Collections.Generic;
using NUnit.Framework;

namespace Tests.Runtime;

/// <summary>
/// <c>SYSDIG_TRACERS_MAX_SPANS_PER_SECOND</c> and <c>SYSDIG_TRACERS_MAX_ASSEMBLY_SPANS_PER_SECOND</c> replace the
/// woven ceilings (0 in the probe) when they are whole numbers, in a process started with them (the runtime reads them
/// once). The probe's one method is its assembly's only one, so either ceiling limits it.
/// </summary>
public class SpanBudgetEnvironmentTests
{
    [TestCase("SYSDIG_TRACERS_MAX_SPANS_PER_SECOND", "1", true)]
    [TestCase("SYSDIG_TRACERS_MAX_SPANS_PER_SECOND", " 2 ", true)]
    [TestCase("SYSDIG_TRACERS_MAX_SPANS_PER_SECOND", "0", false)]
    [TestCase("SYSDIG_TRACERS_MAX_SPANS_PER_SECOND", "many", false)]
    [TestCase("SYSDIG_TRACERS_MAX_SPANS_PER_SECOND", "-5", false)]
    [TestCase("SYSDIG_TRACERS_MAX_ASSEMBLY_SPANS_PER_SECOND", "3", true)]
    [TestCase("SYSDIG_TRACERS_MAX_ASSEMBLY_SPANS_PER_SECOND", "0", false)]
    [TestCase("SYSDIG_TRACERS_MAX_ASSEMBLY_SPANS_PER_SECOND", "10k", false)]
    public void TheEnvironmentReplacesTheWovenCeiling(string variable, string value, bool limits)
    {
        const int calls = 100_000;
        ProbeResult result = ProbeRunner.RunProbe(
            new Dictionary<string, string?> { [variable] = value },
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
