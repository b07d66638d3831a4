using System.Linq;
using NUnit.Framework;
using SysdigTracers.Fody.Selection;

namespace Tests.Weaving;

/// <summary>
/// Broad selection leaves out trivial methods (no calls, loops or handlers, small IL; or marked AggressiveInlining)
/// unless TraceTrivialMethods is on; [Traced] on the method or its property always weaves. Woven and plain return the same values either way.
/// </summary>
public class TrivialMethodTests
{
    const string Source = @"
using System.Runtime.CompilerServices;
using SysdigTracers;
namespace Trivial
{
    public class Shapes
    {
        private int _x = 3;
        public int Auto { get; set; }
        [Traced] public int Marked { get; set; }
        public int Field() => _x;
        public int Add(int a, int b) => a > b ? a - b : a + b;
        public int Calls() => Field() + 1;
        public int Loop(int n) { var s = 0; for (var i = 0; i < n; i++) s += i; return s; }
        public int Guarded(int a) { try { return 10 / a; } catch (System.DivideByZeroException) { return -1; } }
        public string Allocates() => new string('x', 2);
        [Traced] public int Explicit() => _x;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public int Hinted(int n) { var s = 0; for (var i = 0; i < n; i++) s += Field(); return s; }
        [Traced, MethodImpl(MethodImplOptions.AggressiveInlining)] public int HintedExplicit() => Field() + 2;
    }
}";

    static readonly string[] Calls = { "Auto", "Marked", "Field", "Add", "Calls", "Loop", "Guarded", "Allocates", "Explicit", "Hinted", "HintedExplicit" };

    static (string Results, string[] Traced, Fody.TestResult Weave) Run(string folder, string config)
    {
        var path = SnippetCompiler.CompileToFile(Source, "Trivial_" + folder);
        var result = WeavingFixture.WeaveFile(path, folder, config);
        var shapes = Target.New(result.Assembly.GetType("Trivial.Shapes")!);
        var outcome = WeavingFixture.Observe(() => string.Join(",", new object?[]
        {
            Target.Get(shapes, "Auto"), Target.Get(shapes, "Marked"), Target.Call(shapes, "Field"),
            Target.Call(shapes, "Add", 1, 2), Target.Call(shapes, "Calls"), Target.Call(shapes, "Loop", 4),
            Target.Call(shapes, "Guarded", 0), Target.Call(shapes, "Allocates"), Target.Call(shapes, "Explicit"),
            Target.Call(shapes, "Hinted", 2), Target.Call(shapes, "HintedExplicit"),
        }));
        var traced = outcome.Tracers.Where(t => t.StartsWith(">"))
            .Select(t => t.Split(':')[2].Split('.').Last())
            .Distinct()
            .ToArray();
        return (outcome.Result, traced, result);
    }

    [Test]
    public void BroadSelectionLeavesOutTrivialMethods()
    {
        var (results, traced, weave) = Run("trivial-default", "<SysdigTracers IncludeNamespaces='Trivial' TraceProperties='true' />");
        Assert.That(results, Is.EqualTo("\"0,0,3,3,4,6,-1,xx,3,6,5\""));
        Assert.That(traced, Is.EqualTo(new[] { "get_Marked", "Calls", "Loop", "Guarded", "Allocates", "Explicit", "HintedExplicit" }));
        Assert.That(
            weave.Messages.Select(m => m.Text),
            Has.Some.Contains("5 methods left out as trivial"),
            "get_Auto, set_Auto, Field, Add and Hinted; set_Marked is selected by its property's [Traced]");
    }

    [Test]
    public void TraceTrivialMethodsWeavesThemToo()
    {
        var (results, traced, weave) = Run(
            "trivial-included", "<SysdigTracers IncludeNamespaces='Trivial' TraceProperties='true' TraceTrivialMethods='true' />");
        Assert.That(results, Is.EqualTo("\"0,0,3,3,4,6,-1,xx,3,6,5\""));
        Assert.That(traced, Is.EqualTo(new[] { "get_Auto", "get_Marked", "Field", "Add", "Calls", "Loop", "Guarded", "Allocates", "Explicit", "Hinted", "HintedExplicit" }));
        Assert.That(weave.Messages.Select(m => m.Text), Has.Some.Contains("0 methods left out as trivial"));
    }

    [Test]
    public void MinimumCodeSizeLeavesOutSmallerMethodsOfBroadSelectionOnly()
    {
        var (results, traced, weave) = Run(
            "trivial-minimum", "<SysdigTracers IncludeNamespaces='Trivial' TraceProperties='true' MinimumCodeSize='12' />");
        Assert.That(results, Is.EqualTo("\"0,0,3,3,4,6,-1,xx,3,6,5\""));
        Assert.That(
            traced,
            Is.EqualTo(new[] { "get_Marked", "Loop", "Guarded", "Explicit", "HintedExplicit" }),
            "Calls (10 bytes) and Allocates (9) are under the minimum; [Traced] on a method or property weaves it whatever its size");
        Assert.That(
            weave.Messages.Select(m => m.Text),
            Has.Some.Contains("5 methods left out as trivial, 2 methods left out as smaller than 12 bytes of IL (MinimumCodeSize)"));
    }

    [Test]
    public void AStateMachineMethodIsMeasuredByItsMoveNext()
    {
        const string source = @"
using System.Collections.Generic;
using System.Threading.Tasks;
namespace Sized
{
    public class Methods
    {
        public async Task<int> Later(int n) { await Task.Yield(); var s = 0; for (var i = 0; i < n; i++) s += i * n; return s; }
        public IEnumerable<int> Numbers(int n) { for (var i = 0; i < n; i++) yield return i * i; }
        public int Forward(int n) => Twice(n) + 1;
        static int Twice(int n) => n * 2;
    }
}";
        var module = Mono.Cecil.ModuleDefinition.ReadModule(SnippetCompiler.CompileToFile(source, "Sized_definition"));
        var type = module.GetType("Sized.Methods");
        int Size(string name) => MethodCodeSize.Of(type.Methods.Single(m => m.Name == name));
        Assert.Multiple(() =>
        {
            Assert.That(Size("Later"), Is.GreaterThan(type.Methods.Single(m => m.Name == "Later").Body.CodeSize), "MoveNext, not the kickoff method");
            Assert.That(Size("Later"), Is.EqualTo(type.NestedTypes.Single(t => t.Name.Contains("Later")).Methods.Single(m => m.Name == "MoveNext").Body.CodeSize));
            Assert.That(Size("Numbers"), Is.EqualTo(type.NestedTypes.Single(t => t.Name.Contains("Numbers")).Methods.Single(m => m.Name == "MoveNext").Body.CodeSize));
            Assert.That(Size("Forward"), Is.EqualTo(type.Methods.Single(m => m.Name == "Forward").Body.CodeSize));
        });
    }

    [Test]
    public void TheDefinitionCountsCallsLoopsHandlersAndSize()
    {
        var module = Mono.Cecil.ModuleDefinition.ReadModule(SnippetCompiler.CompileToFile(Source, "Trivial_definition"));
        var type = module.GetType("Trivial.Shapes");
        bool Trivial(string name) => TrivialMethods.IsTrivial(type.Methods.Single(m => m.Name == name));
        Assert.Multiple(() =>
        {
            Assert.That(Trivial("get_Auto"), Is.True);
            Assert.That(Trivial("set_Auto"), Is.True);
            Assert.That(Trivial("Field"), Is.True);
            Assert.That(Trivial("Add"), Is.True, "a forward branch is not a loop");
            Assert.That(Trivial("Calls"), Is.False);
            Assert.That(Trivial("Loop"), Is.False);
            Assert.That(Trivial("Guarded"), Is.False);
            Assert.That(Trivial("Allocates"), Is.False);
            Assert.That(Trivial(".ctor"), Is.False, "calls the base constructor");
            Assert.That(Trivial("Hinted"), Is.True, "marked AggressiveInlining, whatever its body");
        });
    }
}
