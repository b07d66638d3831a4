using System;
using System.Collections.Concurrent;
using System.IO;
using Microsoft.CodeAnalysis;
using NUnit.Framework;
using Tests.Weaving;

namespace Tests.Fidelity;

/// <summary>
/// The program of <see cref="FaultShapeSource"/> compiled (Debug or Release, with a portable PDB) and woven, each copy
/// in a folder of its own with the runtime library and a runtime configuration, ready for <c>dotnet program.dll</c>.
/// </summary>
public static class FaultShapePrograms
{
    static readonly ConcurrentDictionary<OptimizationLevel, Lazy<(string Plain, string Woven)>> Built = new();

    /// <summary>Paths of the plain and the woven program of <paramref name="optimization"/>, compiled and woven once.</summary>
    public static (string Plain, string Woven) Get(OptimizationLevel optimization) =>
        Built.GetOrAdd(optimization, o => new Lazy<(string, string)>(() => Build(o))).Value;

    static (string Plain, string Woven) Build(OptimizationLevel optimization)
    {
        var name = "FaultShapes" + optimization;
        var directory = Path.Combine(TestContext.CurrentContext.TestDirectory, "fault-shapes", optimization.ToString());
        Directory.CreateDirectory(directory);
        var sourceLink = "{\"documents\": {\"*\": \"https://example.invalid/fault-shapes/*\"}}";
        var dll = SnippetCompiler.Compile(FaultShapeSource.Generate(), OutputKind.ConsoleApplication, out var pdb, name, name + ".cs", optimization, sourceLink);
        var plain = Path.Combine(directory, name + ".dll");
        File.WriteAllBytes(plain, dll);
        File.WriteAllBytes(Path.ChangeExtension(plain, ".pdb"), pdb);
        var result = WeavingFixture.WeaveFile(plain, "woven", "<SysdigTracers />");
        Assert.That(result.Errors, Is.Empty);
        var woven = result.AssemblyPath;
        foreach (var path in new[] { plain, woven })
        {
            PrepareToRun(path);
        }

        return (plain, woven);
    }

    /// <summary>Puts the runtime library and a runtime configuration next to a program, so <c>dotnet program.dll</c> runs it.</summary>
    public static void PrepareToRun(string program)
    {
        var folder = Path.GetDirectoryName(program)!;
        var runtime = typeof(SysdigTracers.Tracer).Assembly.Location;
        File.Copy(runtime, Path.Combine(folder, Path.GetFileName(runtime)), overwrite: true);
        File.WriteAllText(
            Path.ChangeExtension(program, ".runtimeconfig.json"),
            $$"""
            {
              "runtimeOptions": {
                "tfm": "net10.0",
                "framework": { "name": "Microsoft.NETCore.App", "version": "{{Environment.Version.Major}}.0.0" }
              }
            }
            """);
    }
}
