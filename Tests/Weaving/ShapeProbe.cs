using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NUnit.Framework;
using SysdigTracers;
using Tests.Runtime;

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
        var emitted = SnippetCompiler.EmitToFile(dll, new[] { tree },
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: optimization, allowUnsafe: true));
        Assert.That(emitted.Success, Is.True, string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));

        return dll;
    }

    /// <summary>Weaves, prepares every method, and runs <c>Driver.Run()</c> woven and unwoven: returns both results and the tracers.</summary>
    public static (string Original, string Woven, IReadOnlyList<string> Tracers) Run(string source, string name, OptimizationLevel optimization, string? config = null)
    {
        var dll = Compile(source, name + optimization, optimization);
        var original = Assembly.Load(File.ReadAllBytes(dll));
        var woven = WeavingFixture.WeaveFile(dll, "review-" + name + optimization, config ?? WeavingFixture.EverythingConfig);
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
        using (var capture = TracerRecording.Start())
        {
            actual = Invoke(woven.Assembly);
            tracers = capture.Tracers;
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
