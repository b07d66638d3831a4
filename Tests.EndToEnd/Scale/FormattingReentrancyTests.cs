using System;
using System.Diagnostics;
using System.Linq;
using NUnit.Framework;
using Tests.Weaving;

namespace Tests.Scale;

/// <summary>
/// Found by the third-party harness (woven Newtonsoft.Json hung on 70 nested objects): values are formatted with
/// their <c>ToString()</c>, which is user code that may call traced methods, whose values are formatted with
/// <c>ToString()</c> again. For a tree whose <c>ToString()</c> reads a traced property returning the child, every level
/// doubled the work: woven code ran in time exponential in the depth where the original is linear.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class FormattingReentrancyTests
{
    const string Source = """
        namespace Reentrancy
        {
            public sealed class Node
            {
                public static int ToStringCalls;

                public Node(Node? child) { Child = child; }

                public Node? Child { get; }

                public static Node Chain(int depth)
                {
                    Node? node = null;
                    for (var i = 0; i < depth; i++) node = new Node(node);
                    return node!;
                }

                public override string ToString()
                {
                    ToStringCalls++;
                    return "(" + Child + ")";
                }
            }
        }
        """;

    static readonly Lazy<Type> Woven = new(() =>
    {
        var path = SnippetCompiler.CompileToFile(Source, "ScaleReentrancy");
        var result = WeavingFixture.WeaveFile(path, "scale-reentrancy", WeavingFixture.EverythingConfig);
        Assert.That(result.Errors, Is.Empty);
        return result.Assembly.GetType("Reentrancy.Node", throwOnError: true)!;
    });

    [Test]
    public void ToString_that_reads_traced_members_stays_polynomial_in_the_depth()
    {
        const int depth = 22;
        var node = Woven.Value; // weaving installs WeavingFixture's observer: before the capture
        var chain = node.GetMethod("Chain")!.Invoke(null, new object[] { depth })!;
        var calls = node.GetField("ToStringCalls")!;
        calls.SetValue(null, 0);

        var clock = Stopwatch.StartNew();
        string text;
        System.Collections.Generic.IReadOnlyList<string> tracers;
        using (var capture = SysdigTracers.TracerRecording.Start())
        {
            text = chain.ToString()!;
            tracers = capture.Tracers;
        }

        Assert.Multiple(() =>
        {
            Assert.That(text, Is.EqualTo(string.Concat(Enumerable.Repeat("(", depth)) + string.Concat(Enumerable.Repeat(")", depth))));
            // Unwoven: depth calls. Formatting the getter's return value may add one ToString() chain per level
            // (depth²/2), never one per path through the tree (2^depth = 4 million here).
            Assert.That((int)calls.GetValue(null)!, Is.LessThanOrEqualTo(depth * depth), "ToString() calls");
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
            Assert.That(tracers.Count(t => t.StartsWith(">:t:Reentrancy.Node.get_Child:", StringComparison.Ordinal)), Is.LessThanOrEqualTo(depth * depth));
            Assert.That(tracers.Count(t => t.StartsWith(">", StringComparison.Ordinal)), Is.EqualTo(tracers.Count(t => t.StartsWith("<", StringComparison.Ordinal))));
        });
    }
}
