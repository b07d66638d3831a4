using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Mono.Cecil;
using NUnit.Framework;
using SysdigTracers.Fody.Naming;

namespace Tests.Weaving;

/// <summary>
/// <c>code.line.number</c> is the first line of the method's own code, the same whether the assembly is built in Debug
/// or in Release: no opening brace, no field initialiser, a constructor's <c>base(...)</c>/<c>this(...)</c> line.
/// </summary>
public class CodeLocationTests
{
    const string Source = @"using System.Collections.Generic;
using System.Threading.Tasks;

public struct Point
{
    public int X;
    public int Y = 7;
    public string Name = ""p"";

    public Point(int x, int y)               // Point(int, int)
    {
        X = x;                                // Point(int, int) line
        Y += y;
    }

    public Point(int both) : this(both, both) // Point(int) line
    {
        X += 1;
    }

    public Point(string text)
    {
        X = text.Length;                      // Point(string) line
    }
}

public struct Bare
{
    public int X;

    public Bare(int x)
    {
        X = x;                                // Bare(int) line
    }
}

public struct Single
{
    public int X = 3;                         // Single(int) line: its only constructor's initialiser

    public Single(int x)
    {
        X += x;
    }
}

public class Base
{
    protected int Value;

    public Base() => Value = -1;              // Base() line

    public Base(int value)                    // Base(int) line
    {
        Value = value;
    }
}

public class Derived : Base
{
    int extra = 5;
    readonly List<int> items = new List<int> { 1 };

    public Derived()
        : base(1)                             // Derived() line
    {
        extra++;
    }

    public Derived(int value) : this()        // Derived(int) line
    {
        extra += value;
    }

    public Derived(string text)               // Derived(string) line
    {
        extra = text.Length + items.Count;
    }
}

public class Methods
{
    public void Empty()
    {
    }                                         // Empty() line

    public int Block(int a)
    {
        var b = a * 2;                        // Block(int) line
        return b + 1;
    }

    public int Arrow(int a) => a + 1;         // Arrow(int) line

    public async Task<int> Later(int a)
    {
        await Task.Yield();                   // Later(int) line
        return a;
    }

    public IEnumerable<int> Items()
    {
        yield return 1;                       // Items() line
    }
}
";

    static readonly string[] SourceLines = Source.Split('\n');

    static Dictionary<string, int?> Lines(OptimizationLevel optimization)
    {
        var dll = SnippetCompiler.Compile(Source, OutputKind.DynamicallyLinkedLibrary, out var pdb, "CodeLocation" + optimization, "CodeLocation.cs", optimization);
        using var module = ModuleDefinition.ReadModule(new MemoryStream(dll), new ReaderParameters { ReadSymbols = true, SymbolStream = new MemoryStream(pdb) });
        return module.Types
            .Where(t => t.Name != "<Module>" && !t.Name.StartsWith("<", System.StringComparison.Ordinal))
            .SelectMany(t => t.Methods)
            .Where(m => m.HasBody && !m.IsStatic && (m.DebugInformation.HasSequencePoints || SpanNaming.StateMachineMoveNext(m) != null))
            .ToDictionary(Name, m => CodeLocation.Of(m)?.StartLine);
    }

    static string Name(MethodDefinition method) =>
        (method.IsConstructor ? method.DeclaringType.Name : method.Name) +
        "(" + string.Join(", ", method.Parameters.Select(p => p.ParameterType.Name switch { "Int32" => "int", "String" => "string", var n => n })) + ")";

    [Test]
    public void DebugAndReleaseGiveTheSameLine()
    {
        var debug = Lines(OptimizationLevel.Debug);
        var release = Lines(OptimizationLevel.Release);
        Assert.That(debug.Keys, Is.EquivalentTo(release.Keys));
        Assert.That(debug.Keys, Has.Count.EqualTo(15));
        Assert.That(debug.Keys.Where(k => debug[k] != release[k]).Select(k => $"{k}: Debug {debug[k]}, Release {release[k]}"), Is.Empty);
    }

    [TestCase(OptimizationLevel.Debug)]
    [TestCase(OptimizationLevel.Release)]
    public void EachMethodIsAtItsOwnFirstLine(OptimizationLevel optimization)
    {
        foreach (var (method, line) in Lines(optimization))
        {
            Assert.That(line, Is.Not.Null, method);
            Assert.That(SourceLines[line!.Value - 1], Does.Contain("// " + method + " line"), method);
        }
    }
}
