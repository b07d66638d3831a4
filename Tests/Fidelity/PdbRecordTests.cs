using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using NUnit.Framework;
using Tests.Async;
using Tests.Weaving;

namespace Tests.Fidelity;

/// <summary>
/// Every custom debug information record of the compiler's PDB (async stepping information with its catch handler,
/// state machine hoisted local scopes, dynamic and tuple names, edit-and-continue maps, source link, embedded
/// sources, compilation options) is in the woven PDB, record by record, pointing at the same original instructions;
/// the woven PDB adds none to the compiler's methods. Covers every shape: AssemblyToProcess as the solution built
/// it, the async shapes compiled Debug and Release, and the fault shapes (lambdas, local functions) Debug and Release.
/// </summary>
public class PdbRecordTests
{
    static readonly string[] StateMachineKinds = { "async method stepping information", "state machine hoisted local scopes" };

    // Compiled with a Source Link document and the source embedded.
    static readonly string[] ModuleKinds = { "source link", "embedded source", "compilation options", "compilation metadata references" };

    // Debug builds keep the locals whose names the compiler describes (LocalNames.Describe in the fault shapes).
    static readonly string[] LocalKinds = { "dynamic local variables", "tuple element names", "EnC local slot map", "EnC lambda and closure map" };

    public static IEnumerable<TestCaseData> Builds()
    {
        yield return new TestCaseData((Func<(string, string)>)(() => (WeavingFixture.AssemblyToProcessPath, WeavingFixture.Main.AssemblyPath)), StateMachineKinds)
            .SetArgDisplayNames("AssemblyToProcess");
        foreach (var build in new[] { ShapesBuild.RoslynDebug, ShapesBuild.RoslynRelease })
        {
            yield return new TestCaseData((Func<(string, string)>)(() => (AsyncFixture.UnwovenPath(build), AsyncFixture.Run(build).AssemblyPath)), StateMachineKinds)
                .SetArgDisplayNames("AsyncShapes" + build);
        }

        foreach (var optimization in new[] { OptimizationLevel.Debug, OptimizationLevel.Release })
        {
            yield return new TestCaseData(
                    (Func<(string, string)>)(() => FaultShapePrograms.Get(optimization)),
                    (optimization == OptimizationLevel.Debug ? StateMachineKinds.Concat(LocalKinds) : StateMachineKinds).Concat(ModuleKinds).ToArray())
                .SetArgDisplayNames("FaultShapes" + optimization);
        }
    }

    [TestCaseSource(nameof(Builds))]
    public void EveryRecordIsTheCompilersRecord(Func<(string Plain, string Woven)> build, string[] requiredKinds)
    {
        var (plainPath, wovenPath) = build();
        var plain = PdbRecords.Read(plainPath);
        var woven = PdbRecords.Read(wovenPath);

        var problems = new List<string>();
        var dropped = new List<string>();
        foreach (var (owner, records) in plain.ByOwner)
        {
            if (plain.DocumentsWithoutCode.Contains(owner) && !woven.ByOwner.ContainsKey(owner))
            {
                // Cecil writes only the documents that sequence points refer to (a limit of every Fody add-in).
                dropped.Add(owner);
                continue;
            }

            woven.ByOwner.TryGetValue(owner, out var wovenRecords);
            if (!records.SequenceEqual(wovenRecords ?? new List<string>()))
            {
                problems.Add($"{owner}:{Environment.NewLine}  compiler: {string.Join(Environment.NewLine + "            ", records)}" +
                             $"{Environment.NewLine}  woven:    {string.Join(Environment.NewLine + "            ", wovenRecords ?? new List<string>())}");
            }
        }

        foreach (var owner in woven.ByOwner.Keys.Except(plain.ByOwner.Keys))
        {
            problems.Add($"{owner}: woven only: {string.Join("; ", woven.ByOwner[owner])}");
        }

        var kinds = plain.ByOwner.Values.SelectMany(r => r).Select(r => r[..r.IndexOf(':', StringComparison.Ordinal)]).Distinct().OrderBy(k => k).ToList();
        TestContext.Out.WriteLine("record kinds compared: " + string.Join(", ", kinds));
        TestContext.Out.WriteLine("documents without code, not in the woven PDB: " + string.Join(", ", dropped));
        Assert.That(dropped, Has.Count.LessThanOrEqualTo(2), "only the generated assembly attribute files have no code");
        Assert.That(problems, Is.Empty, $"{problems.Count} owners differ");
        Assert.That(kinds, Is.SupersetOf(requiredKinds), "the build has the records this test is for");
    }
}
