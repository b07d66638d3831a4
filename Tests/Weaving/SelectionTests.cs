using System;
using System.Linq;
using Fody;
using NUnit.Framework;

namespace Tests.Weaving;

/// <summary>
/// Which methods each configuration selects, checked by running woven code: AssemblyToProcess woven with other
/// configurations than the main one, and snippets for what AssemblyToProcess cannot hold ([assembly: Traced]).
/// </summary>
public class SelectionTests
{
    const string R = "AssemblyToProcess.Rules.";

    static Outcome Run(TestResult result, Func<Target, object?> call) =>
        WeavingFixture.Observe(() => call(new Target(result.Assembly)));

    [Test]
    public void ElementFormExactNamespaceWithoutOptions()
    {
        var result = WeavingFixture.Weave("elements", @"<SysdigTracers>
  <IncludeNamespaces>
    AssemblyToProcess.Rules
  </IncludeNamespaces>
</SysdigTracers>");

        var selected = Run(result, t =>
        {
            var instance = t.New("Rules.Selected", 1);
            Target.Call(instance, "Skipped");
            return Target.Call(instance, "Add", 2);
        });
        Assert.That(selected.Tracers, Is.EqualTo(new[]
        {
            ">:t:" + R + "Selected.Add::",
            "<:t:" + R + "Selected.Add::",
        }), "no constructors, no accessors, no arguments, no return value, [NoTrace] respected");
        Assert.That(Run(result, t => t.Static("Rules.Sub.Below", "Run", 1)).Tracers, Is.Empty, "exact pattern: not below");
        Assert.That(Run(result, t => t.Static("Rules.Excluded.Left", "Out", 1)).Tracers, Is.Empty);
        Assert.That(Run(result, t => t.Static("Rules.Excluded.Left", "ForcedIn", 1)).Tracers, Has.Count.EqualTo(2));
    }

    [Test]
    public void AttributesOnlyWithoutConfiguration()
    {
        var result = WeavingFixture.Weave("attributes-only", "<SysdigTracers />");
        Assert.That(Run(result, t => Target.Call(t.New("Rules.Selected", 1), "Add", 2)).Tracers, Is.Empty);
        Assert.That(Run(result, t => Target.Call(t.New("Shapes.Square", 3), "Area")).Tracers, Is.EqualTo(new[]
        {
            ">:t:AssemblyToProcess.Shapes.Square.Area::",
            "<:t:AssemblyToProcess.Shapes.Square.Area:return=9:",
        }), "type-level [Traced]: no constructor, no property accessors without the options");
    }

    [Test]
    public void RecordMembersTheCompilerWritesAreLeftOutEvenWithProperties()
    {
        // Main traces properties: the positional property's accessor is the user's, EqualityContract the compiler's.
        var data = new Target(WeavingFixture.Main.Assembly).New("Shapes.Outer+Inner+Data", 3);
        Assert.Multiple(() =>
        {
            Assert.That(WeavingFixture.Observe(() => Target.Get(data, "EqualityContract")).Tracers, Is.Empty);
            Assert.That(WeavingFixture.Observe(() => Target.Get(data, "Number")).Tracers, Has.Count.EqualTo(2));
        });
    }

    [Test]
    public void WildcardInclusionExclusionAndTheMoreSpecificAttributes()
    {
        var result = WeavingFixture.Weave("wildcard", "<SysdigTracers IncludeNamespaces='*' ExcludeNamespaces='AssemblyToProcess.Shapes*|AssemblyToProcess.Rules.Sub' TraceTrivialMethods='true' />");
        Assert.That(Run(result, t => t.Static("RulesSibling.Sibling", "Run", 1)).Tracers, Is.EqualTo(new[]
        {
            ">:t:AssemblyToProcess.RulesSibling.Sibling.Run::",
            "<:t:AssemblyToProcess.RulesSibling.Sibling.Run::",
        }));
        Assert.That(Run(result, t => t.Static("Rules.Sub.Below", "Run", 1)).Tracers, Is.Empty);
        Assert.That(Run(result, t => t.Static("Shapes.Plain", "NotTraced", 1)).Tracers, Is.Empty, "excluded namespace");
        Assert.That(Run(result, t => t.Static("Shapes.Plain", "DoNothing")).Tracers, Has.Count.EqualTo(2), "[Traced] on a method wins over exclusion");
        Assert.That(Run(result, t => Target.Call(t.New("Shapes.Tagged"), "Listed")).Tracers, Is.EqualTo(new[]
        {
            ">:t:catalog.Listed::",
            "<:t:catalog.Listed::",
        }), "[Traced] on a type wins over exclusion");
    }

    [Test]
    public void AssemblyAttributeWithTagPrefixNoTraceAndExclusion()
    {
        var path = SnippetCompiler.CompileToFile(@"
using SysdigTracers;
[assembly: Traced(""app"", Arguments = true)]
namespace App.Orders
{
    public class Cart
    {
        public Cart() { }
        public int Count { get; set; }
        public int Add(int quantity) => Count += quantity;
        [NoTrace] public int Peek() => Count;
        [Traced(Arguments = false, ReturnValue = true)] public int Total() => Count * 10;
    }
}
namespace App.Internal
{
    public static class Helper { public static int Run(int x) => x; }
}", "AssemblyLevel");
        var result = WeavingFixture.WeaveFile(path, "assembly-level", "<SysdigTracers ExcludeNamespaces='App.Internal' />");
        var tracers = WeavingFixture.Observe(() =>
        {
            var target = new Target(result.Assembly);
            var cart = Target.New(result.Assembly.GetType("App.Orders.Cart")!);
            Target.Call(cart, "Add", 2);
            Target.Call(cart, "Peek");
            Target.Call(cart, "Total");
            return result.Assembly.GetType("App.Internal.Helper")!.GetMethod("Run")!.Invoke(null, new object[] { 1 });
        }).Tracers;
        Assert.That(tracers, Is.EqualTo(new[]
        {
            ">:t:app.App.Orders.Cart.Add:quantity=2:",
            "<:t:app.App.Orders.Cart.Add::",
            ">:t:app.App.Orders.Cart.Total::",
            "<:t:app.App.Orders.Cart.Total:return=20:",
        }));
    }

    [Test]
    public void NoSelectionLeavesTheModuleUntouched()
    {
        var path = SnippetCompiler.CompileToFile("public class Nothing { public int M() => 1; }", "NothingSelected");
        var result = WeavingFixture.WeaveFile(path, "nothing", "<SysdigTracers IncludeNamespaces='Elsewhere' />");
        Assert.That(result.Assembly.GetTypes().Select(t => t.Name), Does.Not.Contain("<SysdigTracers>MethodTracers"));
        Assert.That(result.Errors, Is.Empty);
        Assert.That(
            result.Warnings.Select(w => w.Text),
            Is.EqualTo(new[] { "ST2001: IncludeNamespaces pattern 'Elsewhere' matches no namespace of NothingSelected; the assembly has no namespace other than the global one." }));
    }

    [Test]
    public void NamespaceRulesWorkWhenTheCodeNeverMentionsTheRuntime()
    {
        var path = SnippetCompiler.CompileToFile("namespace Plain.Code { public static class Math { public static int Square(int x) => x * x; } }", "NoRuntimeMention");
        var result = WeavingFixture.WeaveFile(path, "no-runtime-mention", "<SysdigTracers IncludeNamespaces='Plain*' Arguments='true' ReturnValue='true' TraceTrivialMethods='true' />");
        var outcome = WeavingFixture.Observe(() => result.Assembly.GetType("Plain.Code.Math")!.GetMethod("Square")!.Invoke(null, new object[] { 3 }));
        Assert.That(outcome.Tracers, Is.EqualTo(new[]
        {
            ">:t:Plain.Code.Math.Square:x=3:",
            "<:t:Plain.Code.Math.Square:return=9:",
        }));
    }
}
