using System.Collections.Generic;
using System.IO;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;
using NUnit.Framework;

namespace Tests.Weaving;

/// <summary>
/// The woven PDB maps every original line as before (breakpoints, exception line numbers) and the injected code
/// only to hidden sequence points. Exception line numbers at run time are checked by every shape test.
/// </summary>
public class DebugInformationTests
{
    const int Hidden = 0xfeefee;

    static ModuleDefinition Read(string path) =>
        ModuleDefinition.ReadModule(path, new ReaderParameters { ReadSymbols = true });

    [Test]
    public void OriginalLinesAreKeptAndInjectedCodeIsHidden()
    {
        var original = Read(WeavingFixture.AssemblyToProcessPath);
        var woven = Read(WeavingFixture.Main.AssemblyPath);
        var holder = woven.Types.Single(t => t.Name == "<SysdigTracers>MethodTracers");
        var tracerFields = new HashSet<string>(holder.Fields.Select(f => f.Name));
        var checkedMethods = 0;

        foreach (var wovenType in woven.GetTypes().Where(t => t != holder))
        {
            foreach (var wovenMethod in wovenType.Methods.Where(m => m.HasBody))
            {
                // State machine methods (issue 4) call the helpers and fields the weaver adds to the state machine.
                var isWoven = wovenMethod.Body.Instructions.Any(i =>
                    (i.Operand is FieldReference f && f.DeclaringType.Name == holder.Name) ||
                    (i.Operand is MemberReference m && m.Name.StartsWith("<>sysdig_", System.StringComparison.Ordinal)));
                var originalMethod = original.GetType(wovenType.FullName)?.Methods.SingleOrDefault(m => m.FullName == wovenMethod.FullName);
                if (originalMethod == null || !originalMethod.DebugInformation.HasSequencePoints)
                {
                    continue;
                }

                var before = originalMethod.DebugInformation.SequencePoints.Select(Describe).ToList();
                var after = wovenMethod.DebugInformation.SequencePoints.Select(Describe).ToList();
                if (!isWoven)
                {
                    Assert.That(after, Is.EqualTo(before), wovenMethod.FullName);
                    continue;
                }

                checkedMethods++;
                Assert.That(after.Where(p => p != "hidden").Distinct(), Is.SupersetOf(before.Where(p => p != "hidden").Distinct()), wovenMethod.FullName);
                var points = wovenMethod.DebugInformation.GetSequencePointMapping();
                var instructions = wovenMethod.Body.Instructions;
                Assert.That(points.ContainsKey(instructions[0]), wovenMethod.FullName + ": first instruction has a sequence point");
                Assert.That(wovenMethod.DebugInformation.Scope?.Start.Offset ?? 0, Is.EqualTo(0), wovenMethod.FullName + ": scope starts at the first instruction");

                // The code that loads the tracer field and calls the runtime is covered by a hidden sequence point, or,
                // when it starts the method, by the compiler's first sequence point (the line the JIT gives offset 0).
                var compilersFirst = originalMethod.DebugInformation.GetSequencePointMapping().TryGetValue(originalMethod.Body.Instructions[0], out var first) ? Describe(first) : null;
                foreach (var load in instructions.Where(i => i.OpCode == OpCodes.Ldsfld && i.Operand is FieldReference f && tracerFields.Contains(f.Name)))
                {
                    var governing = instructions.TakeWhile(i => i != load).Append(load).LastOrDefault(points.ContainsKey);
                    Assert.That(governing, Is.Not.Null);
                    if (governing == instructions[0] && compilersFirst != null)
                    {
                        Assert.That(Describe(points[governing!]), Is.EqualTo(compilersFirst), wovenMethod.FullName + ": the prologue has the compiler's first sequence point");
                    }
                    else
                    {
                        Assert.That(points[governing!].StartLine, Is.EqualTo(Hidden), wovenMethod.FullName + ": injected code is hidden");
                    }
                }
            }
        }

        Assert.That(checkedMethods, Is.GreaterThan(80));
    }

    [Test]
    public void NestedLocalScopesStillCoverTheSameCode()
    {
        var original = Read(WeavingFixture.AssemblyToProcessPath);
        var woven = Read(WeavingFixture.Main.AssemblyPath);
        var compared = 0;
        foreach (var wovenMethod in woven.GetTypes().SelectMany(t => t.Methods).Where(m => m.HasBody && m.DebugInformation.Scope?.HasScopes == true))
        {
            var originalMethod = original.GetType(wovenMethod.DeclaringType.FullName)?.Methods.SingleOrDefault(m => m.FullName == wovenMethod.FullName);
            if (originalMethod == null)
            {
                continue;
            }

            Assert.That(Scopes(wovenMethod), Is.EqualTo(Scopes(originalMethod)), wovenMethod.FullName);
            compared++;
        }

        Assert.That(compared, Is.GreaterThan(5));
    }

    /// <summary>Each nested scope as its variables and the source lines where it starts and ends.</summary>
    static List<string> Scopes(MethodDefinition method)
    {
        var result = new List<string>();
        var instructions = method.Body.Instructions;
        var points = method.DebugInformation.GetSequencePointMapping();
        string LineAt(InstructionOffset offset)
        {
            if (offset.IsEndOfMethod)
            {
                return "end";
            }

            var index = instructions.TakeWhile(i => i.Offset != offset.Offset).Count();
            for (var i = index; i >= 0 && i < instructions.Count; i--)
            {
                if (points.TryGetValue(instructions[i], out var point) && !point.IsHidden)
                {
                    return point.StartLine.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
            }

            return "?";
        }

        void Walk(ScopeDebugInformation scope, int depth)
        {
            foreach (var inner in scope.Scopes)
            {
                result.Add($"{depth}: {string.Join(",", inner.Variables.Select(v => v.Name))} from {LineAt(inner.Start)} to {LineAt(inner.End)}");
                if (inner.HasScopes)
                {
                    Walk(inner, depth + 1);
                }
            }
        }

        Walk(method.DebugInformation.Scope, 1);
        return result;
    }

    static string Describe(SequencePoint point) =>
        point.IsHidden ? "hidden" : $"{point.StartLine}:{point.StartColumn}-{point.EndLine}:{point.EndColumn}";
}

/// <summary>With <c>Tracer.Enabled</c> off, woven methods write nothing and behave as before.</summary>
[NonParallelizable]
public class DisabledTracingTests
{
    [Test]
    public void NothingIsWrittenWhenDisabled()
    {
        var target = new Target(WeavingFixture.Main.Assembly);
        SysdigTracers.Tracer.Enabled = false;
        try
        {
            var outcome = WeavingFixture.Observe(() => target.Static("Shapes.Plain", "Add", 1, 2));
            Assert.That(outcome.Tracers, Is.Empty);
            Assert.That(outcome.Result, Is.EqualTo("3"));
            var failing = WeavingFixture.Observe(() => target.Static("Shapes.ControlFlow", "Fail", "off"));
            Assert.That(failing.Tracers, Is.Empty);
            Assert.That(failing.Exception, Is.TypeOf<System.InvalidOperationException>());
        }
        finally
        {
            SysdigTracers.Tracer.Enabled = true;
        }
    }

    [Test]
    public void SwitchReadOnceOnEntrySoEnterAndExitStayPaired()
    {
        var target = new Target(WeavingFixture.Main.Assembly);
        try
        {
            // The converter runs inside the woven method: turning tracing off there must not lose the exit tracer.
            var outcome = WeavingFixture.Observe(() => target.StaticGeneric(
                "Shapes.GenericMethods", "Convert", new[] { typeof(string), typeof(int) }, "abc",
                new System.Func<string, int>(s =>
                {
                    SysdigTracers.Tracer.Enabled = false;
                    return s.Length;
                })));
            Assert.That(outcome.Tracers, Is.EqualTo(new[]
            {
                ">:t:AssemblyToProcess.Shapes.GenericMethods.Convert::",
                "<:t:AssemblyToProcess.Shapes.GenericMethods.Convert:return=3:",
            }));
        }
        finally
        {
            SysdigTracers.Tracer.Enabled = true;
        }
    }
}
