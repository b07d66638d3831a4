using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Fody;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;
using NUnit.Framework;
using SysdigTracers;
using Tests.Runtime;
using Tests.Weaving;

namespace Tests.Scale;

/// <summary>
/// Issue 6, build-time robustness: weaving an already woven assembly, a weaver error, strong-named assemblies, and
/// every build flavour (Debug/Release, no PDB, portable PDB, embedded PDB).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class BuildRobustnessTests
{
    const string Source = """
        using System;

        namespace Robust
        {
            public static class Calculator
            {
                public static int Divide(int a, int b)
                {
                    if (b == 0) throw new DivideByZeroException("b is zero");
                    return a / b;
                }

                public static string Describe(int value)
                {
                    switch (value)
                    {
                        case 0: return "zero";
                        case 1: return "one";
                    }

                    try { return value > 0 ? "positive" : Fail(); }
                    catch (InvalidOperationException e) { return "negative: " + e.Message; }
                }

                static string Fail() => throw new InvalidOperationException("below zero");
            }
        }
        """;

    static readonly string[] Lines = File.ReadAllLines(Path.Combine(ScaleSettings.TestDirectory, "..", "..", "..", "Scale", "BuildRobustnessTests.cs"));

    [Test]
    public void Weaving_an_already_woven_assembly_weaves_nothing_twice()
    {
        var once = WeavingFixture.WeaveFile(SnippetCompiler.CompileToFile(Source, "ScaleTwice"), "scale-twice-1", WeavingFixture.EverythingConfig);
        var twice = WeavingFixture.WeaveFile(once.AssemblyPath, "scale-twice-2", WeavingFixture.EverythingConfig);
        Assert.That(twice.Errors.Select(e => e.Text), Is.Empty);

        var type = twice.Assembly.GetType("Robust.Calculator", throwOnError: true)!;
        IReadOnlyList<string> tracers;
        using (var capture = TracerRecording.Start())
        {
            Assert.That(type.GetMethod("Divide")!.Invoke(null, new object[] { 6, 3 }), Is.EqualTo(2));
            tracers = capture.Tracers;
        }

        Assert.That(tracers, Is.EqualTo(new[] { ">:t:Robust.Calculator.Divide:a=6,b=3:", "<:t:Robust.Calculator.Divide:return=2:" }));
        using var module = Mono.Cecil.ModuleDefinition.ReadModule(twice.AssemblyPath);
        Assert.That(module.Types.Count(t => t.Name.StartsWith("<SysdigTracers>", StringComparison.Ordinal)), Is.EqualTo(1), "one tracer holder");
    }

    [Test]
    public void A_weaver_error_leaves_no_woven_assembly_behind()
    {
        var path = SnippetCompiler.CompileToFile(Source, "ScaleError");
        var target = Path.Combine(Path.GetDirectoryName(path)!, "fodytemp", "scale-error", "ScaleError.dll");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.WriteAllText(target, "stale output of an earlier run");

        // A WeavingException (here: an invalid configuration) stops the weaver before anything is written: Fody
        // writes the module only after every weaver returned, and FodyHelpers deletes the previous output first.
        Assert.Throws<WeavingException>(() => WeavingFixture.WeaveFile(path, "scale-error", "<SysdigTracers IncludeNamespaces='Robust' Arguments='maybe' />"));
        Assert.That(File.Exists(target), Is.False, "no (half-)woven assembly at the output path");
    }

    [Test]
    public void A_method_that_cannot_be_woven_leaves_the_whole_assembly_unwoven()
    {
        // One good method and one misplaced [Traced]: the error is reported at its location, and the weaver then
        // refuses to let Fody write a partly woven module (which the next incremental build would take as done).
        var path = SnippetCompiler.CompileToFile(@"using SysdigTracers;
namespace Robust;
public abstract class Mixed
{
    [Traced] public int Good() => 1;
    [Traced] public abstract int Bad();
}", "ScaleMethodError");
        var target = Path.Combine(Path.GetDirectoryName(path)!, "fodytemp", "scale-method-error", "ScaleMethodError.dll");

        var reported = WeavingFixture.WeaveReporting(path, "scale-method-error", null);

        Assert.That(reported.Errors.Select(e => e.Text), Has.Exactly(1).StartWith("ST3001: [Traced] cannot work on 'Robust.Mixed.Bad()'"));
        Assert.That(reported.Refusal, Is.Not.Null);
        Assert.That(reported.Refusal!.Message, Does.Contain("not woven"));
        Assert.That(File.Exists(target), Is.False, "no partly woven assembly at the output path");
    }

    [Test]
    public void Strong_named_assemblies_stay_loadable_after_weaving()
    {
        // The third-party libraries are strong-named and their keys are not available: the woven copies keep the public
        // key in their identity with an invalid signature. .NET (Core) does not validate strong-name signatures, so
        // they load and run (Fody re-signs when the project's key file is given; FodyHelpers' test runs do not).
        foreach (var library in ThirdPartyLibrary.All)
        {
            var outcome = ThirdPartyWeaving.Weave(library);
            Assert.That(outcome.StrongNamed, Is.True, library.Name);
            var context = new AssemblyLoadContext("strong-name-" + library.Name, isCollectible: true);
            try
            {
                var assembly = context.LoadFromAssemblyPath(outcome.WovenPath);
                Assert.That(assembly.GetName().GetPublicKeyToken(), Is.Not.Empty, library.Name);
                Assert.That(assembly.GetTypes(), Is.Not.Empty);
            }
            finally
            {
                context.Unload();
            }
        }
    }

    public static IEnumerable<TestCaseData> Flavours()
    {
        foreach (var optimization in new[] { OptimizationLevel.Debug, OptimizationLevel.Release })
        {
            foreach (var pdb in new[] { "none", "portable", "embedded" })
            {
                yield return new TestCaseData(optimization, pdb).SetName($"Flavour({optimization}, {pdb} PDB)");
            }
        }
    }

    [TestCaseSource(nameof(Flavours))]
    public void Every_build_flavour_weaves_and_runs(OptimizationLevel optimization, string pdb)
    {
        var name = $"ScaleFlavour{optimization}{pdb}";
        var directory = Path.Combine(ScaleSettings.TestDirectory, "scale-flavours");
        Directory.CreateDirectory(directory);
        var dll = Path.Combine(directory, name + ".dll");
        var pdbPath = Path.ChangeExtension(dll, ".pdb");
        File.Delete(pdbPath);

        var tree = CSharpSyntaxTree.ParseText(Source, new CSharpParseOptions(LanguageVersion.Latest), "BuildRobustnessSource.cs", System.Text.Encoding.UTF8);
        var options = pdb switch
        {
            "none" => new EmitOptions(),
            "portable" => new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb),
            _ => new EmitOptions(debugInformationFormat: DebugInformationFormat.Embedded),
        };
        var emitted = SnippetCompiler.EmitToFile(dll, new[] { tree },
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: optimization),
            options, writePdb: pdb == "portable");
        Assert.That(emitted.Success, Is.True, string.Join("\n", emitted.Diagnostics));

        var woven = WeavingFixture.WeaveFile(dll, "scale-" + name, WeavingFixture.EverythingConfig);
        Assert.That(woven.Errors.Select(e => e.Text), Is.Empty);
        var type = woven.Assembly.GetType("Robust.Calculator", throwOnError: true)!;
        IReadOnlyList<string> tracers;
        Exception? thrown;
        using (var capture = TracerRecording.Start())
        {
            Assert.That(type.GetMethod("Describe")!.Invoke(null, new object[] { -4 }), Is.EqualTo("negative: below zero"));
            Assert.That(type.GetMethod("Describe")!.Invoke(null, new object[] { 1 }), Is.EqualTo("one"));
            thrown = Assert.Throws<TargetInvocationException>(() => type.GetMethod("Divide")!.Invoke(null, new object[] { 1, 0 }))!.InnerException;
            tracers = capture.Tracers;
        }

        Assert.That(thrown, Is.TypeOf<DivideByZeroException>());
        Assert.That(tracers, Is.EqualTo(new[]
        {
            ">:t:Robust.Calculator.Describe:value=-4:",
            ">:t:Robust.Calculator.Fail::",
            "<:t:Robust.Calculator.Fail:exception=System.InvalidOperationException:",
            "<:t:Robust.Calculator.Describe:return=negative\\: below zero:",
            ">:t:Robust.Calculator.Describe:value=1:",
            "<:t:Robust.Calculator.Describe:return=one:",
            ">:t:Robust.Calculator.Divide:a=1,b=0:",
            "<:t:Robust.Calculator.Divide:exception=System.DivideByZeroException:",
        }));

        // With symbols, the throw keeps its source line after weaving.
        var frame = new System.Diagnostics.StackTrace(thrown!, true).GetFrames().First(f => f.GetMethod()?.Name == "Divide");
        var expectedLine = Array.FindIndex(Lines, l => l.Contains("throw new DivideByZeroException", StringComparison.Ordinal)) + 1
                           - Array.FindIndex(Lines, l => l.Contains("const string Source", StringComparison.Ordinal)) - 1;
        Assert.That(frame.GetFileLineNumber(), Is.EqualTo(pdb == "none" ? 0 : expectedLine), "line of the throw in the stack trace");
    }
}
