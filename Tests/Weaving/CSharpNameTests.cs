using System.Linq;
using Mono.Cecil;
using NUnit.Framework;
using SysdigTracers.Fody.Naming;

namespace Tests.Weaving;

/// <summary>Build messages name members as C# writes them, checked on real compiler output.</summary>
public class CSharpNameTests
{
    const string Source = @"
using System;
using System.Collections;
using System.Collections.Generic;

namespace MyShop.Orders
{
    public class Cart { }

    public class Checkout : IEnumerable<int>
    {
        public Checkout(Cart cart) { }
        static Checkout() { }
        public int Place(Cart cart) => 0;
        public void Adjust(ref int count, out string note, in decimal rate, params int[] more) { note = """"; }
        public T Echo<T>(T value, int? maybe, List<string> names, int[,] grid) => value;
        public int Count { get; set; }
        public string this[int index] => """";
        public static Checkout operator +(Checkout a, Checkout b) => a;
        public static implicit operator int(Checkout c) => 0;
        public event EventHandler Changed { add { } remove { } }
        IEnumerator<int> IEnumerable<int>.GetEnumerator() { yield break; }
        IEnumerator IEnumerable.GetEnumerator() => null!;
        public void Run()
        {
            int Local(int x) => x;
            Func<int, int> lambda = y => y + Local(y);
        }

        public class Cache<TKey, TValue>
        {
            public class Entry
            {
                public void Touch(TKey key) { }
            }
        }
    }
}
";

    static ModuleDefinition? module;

    static ModuleDefinition Module => module ??= ModuleDefinition.ReadModule(SnippetCompiler.CompileToFile(Source, "CSharpNames"));

    static TypeDefinition Checkout => Module.GetType("MyShop.Orders.Checkout");

    static string Name(TypeDefinition type, System.Func<MethodDefinition, bool> which) => CSharpName.Of(type.Methods.Single(which));

    [Test]
    public void Methods_constructors_and_parameters() => Assert.Multiple(() =>
    {
        Assert.That(Name(Checkout, m => m.Name == "Place"), Is.EqualTo("MyShop.Orders.Checkout.Place(Cart)"));
        Assert.That(Name(Checkout, m => m.Name == ".ctor"), Is.EqualTo("MyShop.Orders.Checkout.Checkout(Cart)"));
        Assert.That(Name(Checkout, m => m.Name == ".cctor"), Is.EqualTo("MyShop.Orders.Checkout.Checkout()"));
        Assert.That(Name(Checkout, m => m.Name == "Adjust"), Is.EqualTo("MyShop.Orders.Checkout.Adjust(ref int, out string, in decimal, int[])"));
        Assert.That(Name(Checkout, m => m.Name == "Echo"), Is.EqualTo("MyShop.Orders.Checkout.Echo<T>(T, int?, List<string>, int[,])"));
    });

    [Test]
    public void Accessors_operators_and_explicit_implementations() => Assert.Multiple(() =>
    {
        Assert.That(Name(Checkout, m => m.Name == "get_Count"), Is.EqualTo("MyShop.Orders.Checkout.Count.get"));
        Assert.That(Name(Checkout, m => m.Name == "set_Count"), Is.EqualTo("MyShop.Orders.Checkout.Count.set"));
        Assert.That(Name(Checkout, m => m.Name == "get_Item"), Is.EqualTo("MyShop.Orders.Checkout.this[int].get"));
        Assert.That(Name(Checkout, m => m.Name == "add_Changed"), Is.EqualTo("MyShop.Orders.Checkout.Changed.add"));
        Assert.That(Name(Checkout, m => m.Name == "op_Addition"), Is.EqualTo("MyShop.Orders.Checkout.operator +(Checkout, Checkout)"));
        Assert.That(Name(Checkout, m => m.Name == "op_Implicit"), Is.EqualTo("MyShop.Orders.Checkout.implicit operator int(Checkout)"));
        Assert.That(
            Name(Checkout, m => m.Name == "System.Collections.Generic.IEnumerable<System.Int32>.GetEnumerator"),
            Is.EqualTo("MyShop.Orders.Checkout.IEnumerable<int>.GetEnumerator()"));
        Assert.That(
            Name(Checkout, m => m.Name == "System.Collections.IEnumerable.GetEnumerator"),
            Is.EqualTo("MyShop.Orders.Checkout.IEnumerable.GetEnumerator()"));
    });

    [Test]
    public void Local_functions_lambdas_and_nested_generic_types() => Assert.Multiple(() =>
    {
        Assert.That(Name(Checkout, m => m.Name.Contains("g__Local")), Is.EqualTo("MyShop.Orders.Checkout.Run.Local(int)"));
        var lambda = Checkout.NestedTypes.SelectMany(t => t.Methods).Single(m => m.Name.Contains("b__"));
        Assert.That(CSharpName.Of(lambda), Is.EqualTo("MyShop.Orders.Checkout.Run.lambda(int)"));
        var entry = Checkout.NestedTypes.Single(t => t.Name == "Cache`2").NestedTypes.Single();
        Assert.That(CSharpName.Of(entry), Is.EqualTo("MyShop.Orders.Checkout.Cache<TKey, TValue>.Entry"));
        Assert.That(Name(entry, m => m.Name == "Touch"), Is.EqualTo("MyShop.Orders.Checkout.Cache<TKey, TValue>.Entry.Touch(TKey)"));
    });
}
