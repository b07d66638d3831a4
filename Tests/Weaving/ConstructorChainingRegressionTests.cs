using System;
using System.Collections.Generic;
using System.Reflection;
using Microsoft.CodeAnalysis;
using NUnit.Framework;
using SysdigTracers;
using Tests.Runtime;

namespace Tests.Weaving;

/// <summary>
/// A <c>throw</c> in the arguments of <c>base(...)</c> (a switch expression arm, <c>?? throw</c>) stopped the search for
/// the chaining call: the whole constructor, the <c>base(...)</c> call and the argument checks included, was traced.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ConstructorChainingRegressionTests
{
    const string Source = """
        using System;
        namespace Chain
        {
            public class Base { public readonly string S; public Base(string s) { S = s; } }
            public class Derived : Base
            {
                public Derived(int k) : base(k switch { 0 => "zero", 1 => "one", _ => throw new ArgumentException("bad") }) { }
            }
            public class Checked : Base
            {
                public Checked(string? s) : base(s ?? throw new ArgumentNullException(nameof(s))) { }
            }
        }
        """;

    [TestCase(OptimizationLevel.Debug)]
    [TestCase(OptimizationLevel.Release)]
    public void A_throw_in_the_base_arguments_keeps_the_base_call_outside_the_traced_region(OptimizationLevel optimization)
    {
        var dll = ShapeProbe.Compile(Source, "ChainThrow" + optimization, optimization);
        var woven = WeavingFixture.WeaveFile(dll, "chain-throw-" + optimization, WeavingFixture.EverythingConfig);
        Assert.That(woven.Errors, Is.Empty);
        var derived = woven.Assembly.GetType("Chain.Derived", throwOnError: true)!;
        var @checked = woven.Assembly.GetType("Chain.Checked", throwOnError: true)!;

        IReadOnlyList<string> tracers;
        using (var capture = TracerRecording.Start())
        {
            Activator.CreateInstance(derived, 0);
            Activator.CreateInstance(@checked, "x");
            Assert.Throws<TargetInvocationException>(() => Activator.CreateInstance(derived, 5));
            Assert.Throws<TargetInvocationException>(() => Activator.CreateInstance(@checked, new object?[] { null }));
            tracers = capture.Tracers;
        }

        Assert.That(tracers, Is.EqualTo(new[]
        {
            ">:t:Chain.Base.ctor:s=zero:",
            "<:t:Chain.Base.ctor::",
            ">:t:Chain.Derived.ctor:k=0:",
            "<:t:Chain.Derived.ctor::",
            ">:t:Chain.Base.ctor:s=x:",
            "<:t:Chain.Base.ctor::",
            ">:t:Chain.Checked.ctor:s=x:",
            "<:t:Chain.Checked.ctor::",
        }));
    }
}
