using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using NUnit.Framework;
using Tests.Package;
using Tests.Weaving;

namespace Tests.Fidelity;

/// <summary>
/// A runtime-raised fault (null reference, index, division, cast, overflow) in the first statement or a later one of
/// every traced shape has the same stack trace, file and line included, woven as plain: Debug and Release builds,
/// run with tiered compilation (quick code first) and without it (fully optimised from the first call), each in a
/// process of its own.
/// </summary>
[TestFixture(OptimizationLevel.Debug)]
[TestFixture(OptimizationLevel.Release)]
public class FaultLineTests
{
    readonly OptimizationLevel optimization;

    public FaultLineTests(OptimizationLevel optimization) => this.optimization = optimization;

    [TestCase(true)]
    [TestCase(false)]
    public void RuntimeFaultsKeepTheirLines(bool tieredCompilation)
    {
        var (plain, woven) = FaultShapePrograms.Get(optimization);
        var environment = new Dictionary<string, string?> { ["DOTNET_TieredCompilation"] = tieredCompilation ? "1" : "0" };
        var expected = Lines(DotNetCli.RunChecked(Path.GetDirectoryName(plain)!, environment, plain).Output);
        var actual = Lines(DotNetCli.RunChecked(Path.GetDirectoryName(woven)!, environment, woven).Output);

        var scenarios = FaultShapeSource.ShapeNames.Length * FaultShapeSource.Faults.Count * 2;
        Assert.That(expected, Has.Count.EqualTo(scenarios));
        Assert.That(expected.Where(l => l.Contains(" no exception", StringComparison.Ordinal)), Is.Empty);
        var different = expected.Zip(actual, (e, a) => e == a ? null : $"plain: {e}{Environment.NewLine}woven: {a}").Where(d => d != null).ToList();
        Assert.That(different, Is.Empty, $"{different.Count} of {scenarios} stack traces differ");
        Assert.That(actual, Has.Count.EqualTo(expected.Count));
    }

    static List<string> Lines(string output) =>
        output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
}
