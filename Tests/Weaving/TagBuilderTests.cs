using System.Linq;
using Mono.Cecil;
using NUnit.Framework;
using SysdigTracers.Fody.Naming;

namespace Tests.Weaving;

/// <summary>Tag derivation from real compiler output (the unwoven AssemblyToProcess and a compiled snippet).</summary>
public class TagBuilderTests
{
    static ModuleDefinition? module;

    static ModuleDefinition Module => module ??= ModuleDefinition.ReadModule(WeavingFixture.AssemblyToProcessPath);

    static ModuleDefinition? snippet;

    static ModuleDefinition Snippet => snippet ??= ModuleDefinition.ReadModule(new System.IO.MemoryStream(SnippetCompiler.Compile(@"
using System;
using System.Collections;
using System.Collections.Generic;
namespace Ns.Inner
{
    public class Cache<TKey, TValue> : IEnumerable<int>
    {
        public class Entry { public void Touch() { } }
        public Cache() { }
        static Cache() { }
        IEnumerator<int> IEnumerable<int>.GetEnumerator() => null!;
        IEnumerator IEnumerable.GetEnumerator() => null!;
        public int Run() { int Local() => 1; Func<int> f = () => 2; return Local() + f(); }
        public static Cache<TKey, TValue> operator +(Cache<TKey, TValue> a, Cache<TKey, TValue> b) => a;
        public int this[int i] => i;
    }
}
public class Global { public void M() { } }
")));

    static MethodDefinition Method(ModuleDefinition m, string typeFullName, string name) =>
        m.GetTypes().Single(t => t.FullName == typeFullName).Methods
            .First(x => name.EndsWith("*") ? x.Name.StartsWith(name.TrimEnd('*'), System.StringComparison.Ordinal) : x.Name == name);

    [TestCase("Ns.Inner.Cache`2", ".ctor", "Ns.Inner.Cache.ctor")]
    [TestCase("Ns.Inner.Cache`2", ".cctor", "Ns.Inner.Cache.cctor")]
    [TestCase("Ns.Inner.Cache`2/Entry", "Touch", "Ns.Inner.Cache.Entry.Touch")]
    [TestCase("Ns.Inner.Cache`2", "System.Collections.Generic.IEnumerable<System.Int32>.GetEnumerator", "Ns.Inner.Cache.IEnumerable.GetEnumerator")]
    [TestCase("Ns.Inner.Cache`2", "System.Collections.IEnumerable.GetEnumerator", "Ns.Inner.Cache.IEnumerable.GetEnumerator")]
    [TestCase("Ns.Inner.Cache`2", "<Run>g__Local|*", "Ns.Inner.Cache.Run.Local")]
    [TestCase("Ns.Inner.Cache`2/<>c", "<Run>b__*", "Ns.Inner.Cache.Run.lambda_*")]
    [TestCase("Ns.Inner.Cache`2", "op_Addition", "Ns.Inner.Cache.op_Addition")]
    [TestCase("Ns.Inner.Cache`2", "get_Item", "Ns.Inner.Cache.get_Item")]
    [TestCase("Global", "M", "Global.M")]
    public void DerivedTags(string type, string method, string expected)
    {
        var tag = TagBuilder.ForMethod(Method(Snippet, type, method));
        if (expected.EndsWith("*"))
        {
            Assert.That(tag, Does.Match("^" + System.Text.RegularExpressions.Regex.Escape(expected.TrimEnd('*')) + "[0-9_]+$"));
        }
        else
        {
            Assert.That(tag, Is.EqualTo(expected));
        }
    }

    [Test]
    public void TagsOfAssemblyToProcessAreValidSysdigTags()
    {
        foreach (var method in Module.GetTypes().SelectMany(t => t.Methods))
        {
            var tag = TagBuilder.ForMethod(method);
            Assert.That(TagBuilder.ValidateCustomTag(tag), Is.Null, $"{method.FullName} → {tag}");
        }
    }

    [Test]
    public void TopLevelStatementsAndFileLocalTypes()
    {
        var m = ModuleDefinition.ReadModule(new System.IO.MemoryStream(SnippetCompiler.Compile(@"
System.Console.WriteLine(Helper.Get());
file static class Helper { public static int Get() => 1; }
", outputKind: Microsoft.CodeAnalysis.OutputKind.ConsoleApplication)));
        var main = m.GetTypes().SelectMany(t => t.Methods).Single(x => x.Name == "<Main>$");
        Assert.That(TagBuilder.ForMethod(main), Is.EqualTo("Program.Main"));
        var get = m.GetTypes().SelectMany(t => t.Methods).Single(x => x.Name == "Get");
        Assert.That(TagBuilder.ForMethod(get), Is.EqualTo("Helper.Get"));
    }

    [TestCase("orders.place", null)]
    [TestCase("a", null)]
    [TestCase("orders.v2-beta.place_now", null)]
    [TestCase("", "the tag is empty")]
    [TestCase("  ", "the tag is empty")]
    [TestCase("a..b", "a tag component is empty (two dots in a row, or a leading or trailing dot)")]
    [TestCase(".a", "a tag component is empty (two dots in a row, or a leading or trailing dot)")]
    [TestCase("a<b", "'<' is not allowed in a sysdig tag")]
    [TestCase("a=b", "'=' is not allowed in a sysdig tag")]
    [TestCase("a:b", "':' is not allowed in a sysdig tag")]
    [TestCase("a b", "' ' is not allowed in a sysdig tag")]
    [TestCase("0a.b", "the first tag component must not start with '0' (sysdig misreads it)")]
    public void CustomTagValidation(string tag, string? problem) =>
        Assert.That(TagBuilder.ValidateCustomTag(tag), Is.EqualTo(problem));

    [TestCase("plain", "plain")]
    [TestCase("<Clone>$", "Clone_$")]
    [TestCase("a|b", "a_b")]
    [TestCase("_field", "_field")]
    [TestCase("<>", "_")]
    public void Sanitize(string component, string expected) =>
        Assert.That(TagBuilder.Sanitize(component), Is.EqualTo(expected));
}
