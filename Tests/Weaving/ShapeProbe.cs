using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;
using NUnit.Framework;
using Tests.Runtime;
using Tests.Scale;

namespace Tests.Weaving;

/// <summary>Compiles a snippet (Debug or Release), weaves it with everything on and runs it woven and unwoven.</summary>
public static class ShapeProbe
{
    public static string Compile(string source, string name, OptimizationLevel optimization)
    {
        var directory = Path.Combine(TestContext.CurrentContext.TestDirectory, "review-shapes");
        Directory.CreateDirectory(directory);
        var dll = Path.Combine(directory, name + ".dll");
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Preview), name + ".cs", System.Text.Encoding.UTF8);
        var compilation = CSharpCompilation.Create(name, new[] { tree },
            Net100.References.All.Concat(new[] { MetadataReference.CreateFromFile(typeof(SysdigTracers.Tracer).Assembly.Location) }),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: optimization, allowUnsafe: true));
        using (var pe = File.Create(dll))
        using (var symbols = File.Create(Path.ChangeExtension(dll, ".pdb")))
        {
            var emitted = compilation.Emit(pe, symbols, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb));
            Assert.That(emitted.Success, Is.True, string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }

        return dll;
    }

    /// <summary>Weaves, prepares every method, and runs <c>Driver.Run()</c> woven and unwoven: returns both results and the tracers.</summary>
    public static (string Original, string Woven, IReadOnlyList<string> Tracers) Run(string source, string name, OptimizationLevel optimization, string? config = null)
    {
        var dll = Compile(source, name + optimization, optimization);
        var original = Assembly.Load(File.ReadAllBytes(dll));
        var woven = WeavingFixture.WeaveFile(dll, "review-" + name + optimization, config ?? ThirdPartyLibrary.EverythingConfig);
        Assert.That(woven.Errors.Select(e => e.Text), Is.Empty);
        foreach (var type in woven.Assembly.GetTypes())
        {
            if (type.IsGenericTypeDefinition)
            {
                continue;
            }

            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly).Cast<MethodBase>()
                         .Concat(type.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static)))
            {
                if (method.IsAbstract || method.ContainsGenericParameters || method.GetMethodBody() == null)
                {
                    continue;
                }

                try
                {
                    RuntimeHelpers.PrepareMethod(method.MethodHandle);
                }
                catch (Exception e)
                {
                    Assert.Fail($"PrepareMethod {type.FullName}.{method}: {e}");
                }
            }
        }

        var expected = Invoke(original);
        IReadOnlyList<string> tracers;
        string actual;
        using (var capture = new TracerCapture())
        {
            actual = Invoke(woven.Assembly);
            tracers = capture.Texts;
        }

        return (expected, actual, tracers);
    }

    static string Invoke(Assembly assembly)
    {
        try
        {
            return (string)assembly.GetType("Driver", true)!.GetMethod("Run")!.Invoke(null, null)!;
        }
        catch (TargetInvocationException e)
        {
            return "threw " + e.InnerException;
        }
    }
}
