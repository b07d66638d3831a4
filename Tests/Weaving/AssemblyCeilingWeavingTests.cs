using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Mono.Cecil.Cil;
using NUnit.Framework;
using SysdigTracers;
using SysdigTracers.Internal;
using Tests.Activities;

namespace Tests.Weaving;

/// <summary>
/// <c>MaxAssemblySpansPerSecond</c>: what the weaver weaves in (the default of 10000, a value, 0), and woven code of
/// every shape under a ceiling of 5 spans per second for the whole assembly, against the plain assembly and the same
/// code woven without a ceiling: the results are the plain ones, every written enter gets its exit, each window
/// admits at most the ceiling, every span asked for is written or counted in <see cref="Tracer.SkippedSpans"/>, and a
/// skipped span starts no Activity.
/// </summary>
[NonParallelizable]
public class AssemblyCeilingWeavingTests
{
    const int Ceiling = 5;
    const int Rounds = 40;

    const string Source = @"
using System;
using System.Collections.Generic;
using System.Threading.Tasks;
namespace Ceiling
{
    public static class Helper { public static int Zero() => 0; }
    public class Base { public Base(int v) { Value = v + Helper.Zero(); } public int Value { get; } }
    public class Derived : Base
    {
        public Derived(int v) : this(v, 1) { }
        public Derived(int v, int w) : base(v + w) { }
    }
    public struct Point
    {
        public int X;
        public Point(int x) { X = x + Helper.Zero(); }
        public int Move(int d) { X += d + Helper.Zero(); return X; }
    }
    public static class Shapes
    {
        static readonly int[] slots = new int[4];
        public static int Add(int a, int b) => a + b + Helper.Zero();
        public static T Echo<T>(T value) { Helper.Zero(); return value; }
        public static void Swap(ref int a, ref int b) { var t = a + Helper.Zero(); a = b; b = t; }
        public static bool TryHalve(int v, out int half) { half = v / 2 + Helper.Zero(); return v % 2 == 0; }
        public static ref int Slot(int i) { Helper.Zero(); return ref slots[i & 3]; }
        public static int Throws(int a) => a >= 0 ? throw new InvalidOperationException() : Helper.Zero();
        public static int Caught(int a) { try { return Throws(a); } catch (InvalidOperationException) when (a > 1) { return -1; } catch (InvalidOperationException) { return -2; } finally { Helper.Zero(); } }
        public static async Task<int> AddAsync(int a) { await Task.CompletedTask; return a + Helper.Zero(); }
        public static IEnumerable<int> Range(int n) { for (var i = 0; i < n; i++) yield return i + Helper.Zero(); }
        public static async IAsyncEnumerable<int> RangeAsync(int n) { for (var i = 0; i < n; i++) { await Task.CompletedTask; yield return i + Helper.Zero(); } }
        public static int Lambda(int a) { Func<int, int> twice = x => x * 2 + Helper.Zero(); return twice(a); }
        public static int Local(int a) { return Twice(a); int Twice(int x) => x * 2 + Helper.Zero(); }
    }
}
namespace Driver
{
    using Ceiling;
    public static class Run
    {
        public static long Rounds(int rounds)
        {
            long sum = 0;
            for (var i = 0; i < rounds; i++)
            {
                sum += new Derived(i).Value + new Point(i).Move(2) + Shapes.Add(i, 1) + Shapes.Echo(i) + Shapes.Echo(""x"").Length;
                int a = i, b = 2;
                Shapes.Swap(ref a, ref b);
                sum += a * 3 + b + (Shapes.TryHalve(i, out var half) ? half : -half);
                Shapes.Slot(i) = i;
                sum += Shapes.Slot(i) + Shapes.Caught(i % 3) + Shapes.AddAsync(i).Result + Shapes.Lambda(i) + Shapes.Local(i);
                foreach (var item in Shapes.Range(3)) sum += item;
                var items = Shapes.RangeAsync(2).GetAsyncEnumerator();
                while (items.MoveNextAsync().AsTask().Result) sum += items.Current;
                items.DisposeAsync().AsTask().Wait();
            }

            return sum;
        }
    }
}";

    const string Options = "IncludeNamespaces='Ceiling' Arguments='true' ReturnValue='true' TraceConstructors='true' TraceProperties='true'";

    static readonly Lazy<string> Plain = new(() => SnippetCompiler.CompileToFile(Source, "AssemblyCeiling"));

    static readonly Lazy<Assembly> Capped = new(() =>
        WeavingFixture.WeaveFile(Plain.Value, "assembly-ceiling-5", $"<SysdigTracers {Options} MaxAssemblySpansPerSecond='{Ceiling}' />").Assembly);

    static readonly Lazy<Assembly> Uncapped = new(() =>
        WeavingFixture.WeaveFile(Plain.Value, "assembly-ceiling-0", $"<SysdigTracers {Options} MaxAssemblySpansPerSecond='0' />").Assembly);

    static long RunRounds(Assembly assembly) =>
        (long)assembly.GetType("Driver.Run")!.GetMethod("Rounds")!.Invoke(null, new object[] { Rounds })!;

    [TestCase("", 10000, "spans capped at 10000/s for this assembly (MaxAssemblySpansPerSecond)")]
    [TestCase("MaxAssemblySpansPerSecond='250'", 250, "spans capped at 250/s for this assembly (MaxAssemblySpansPerSecond)")]
    [TestCase("MaxAssemblySpansPerSecond='0'", 0, "no cap on spans per second for this assembly (MaxAssemblySpansPerSecond=\"0\")")]
    [TestCase("MaxSpansPerSecond='50'", 10000, "spans capped at 10000/s for this assembly (MaxAssemblySpansPerSecond) and at 50/s for each method (MaxSpansPerSecond)")]
    public void TheCeilingIsWovenInAndTheBuildSaysSo(string option, int expected, string message)
    {
        var result = WeavingFixture.WeaveFile(Plain.Value, "assembly-ceiling-woven-" + expected + "-" + option.Length, $"<SysdigTracers IncludeNamespaces='Ceiling' {option} />");
        using var module = Mono.Cecil.ModuleDefinition.ReadModule(result.AssemblyPath);
        var cctor = module.GetType("<SysdigTracers>MethodTracers").Methods.Single(m => m.Name == ".cctor");
        var create = cctor.Body.Instructions.Single(i =>
            i.OpCode == OpCodes.Newobj && ((Mono.Cecil.MethodReference)i.Operand).DeclaringType.Name == "TracedAssembly");
        Assert.That(((Mono.Cecil.MethodReference)create.Operand).Parameters, Has.Count.EqualTo(5));
        Assert.That(Constant(create.Previous), Is.EqualTo(expected), "the last argument: MaxAssemblySpansPerSecond");
        Assert.That(result.Messages.Select(m => m.Text), Has.Some.EndsWith(message + "."));
    }

    [Test]
    public void EveryShapeIsPairedAndEachWindowWritesAtMostTheCeiling()
    {
        var plain = RunRounds(System.Reflection.Assembly.LoadFile(Plain.Value));
        var all = WeavingFixture.Observe(() => RunRounds(Uncapped.Value));
        var asked = Enters(all.Tracers);
        long skippedBefore = Tracer.SkippedSpans;
        BudgetRefill.Tick(); // a fresh window: the tests before may have used this one up
        long ticksBefore = BudgetRefill.Ticks;
        var capped = WeavingFixture.Observe(() => RunRounds(Capped.Value));
        long windows = BudgetRefill.Ticks - ticksBefore + 1;
        long skipped = Tracer.SkippedSpans - skippedBefore;

        Assert.That(all.Result, Is.EqualTo(plain.ToString()), "woven without a ceiling computes what plain does");
        Assert.That(capped.Result, Is.EqualTo(plain.ToString()), "woven under the ceiling computes what plain does");
        AssertNested(all.Tracers);
        AssertNested(capped.Tracers);
        var tags = all.Tracers.Select(t => t.Split(':')[2]).Distinct().ToList();
        Assert.That(tags, Has.Count.GreaterThanOrEqualTo(15), string.Join(", ", tags));
        Assert.That(asked, Is.GreaterThan(Rounds * 15));
        var written = Enters(capped.Tracers);
        Assert.That(written, Is.InRange(Ceiling, Ceiling * windows), $"{windows} window(s)");
        Assert.That(written + skipped, Is.EqualTo(asked), "each span asked for is written or counted as skipped");
    }

    [Test]
    public void ASkippedSpanStartsNoActivity()
    {
        using var capture = new SpanCapture();
        long skippedBefore = Tracer.SkippedSpans;
        BudgetRefill.Tick(); // a fresh window: the tests before may have used this one up
        long ticksBefore = BudgetRefill.Ticks;
        var outcome = WeavingFixture.Observe(() => RunRounds(Capped.Value));
        long windows = BudgetRefill.Ticks - ticksBefore + 1;

        var written = Enters(outcome.Tracers);
        Assert.That(written, Is.InRange(1, Ceiling * windows));
        Assert.That(Tracer.SkippedSpans - skippedBefore, Is.GreaterThan(0));
        Assert.That(capture.Started, Has.Count.EqualTo(written), "one Activity per written span, none for a skipped one");
    }

    [Test]
    public void WithTracingOffAListenerStillTakesFromTheCeiling()
    {
        using var capture = new SpanCapture();
        BudgetRefill.Tick(); // a fresh window: the tests before may have used this one up
        long ticksBefore = BudgetRefill.Ticks;
        Tracer.Enabled = false;
        var outcome = WeavingFixture.Observe(() => RunRounds(Capped.Value));
        long windows = BudgetRefill.Ticks - ticksBefore + 1;

        Assert.That(outcome.Tracers, Is.Empty);
        Assert.That(capture.Started, Has.Count.InRange(1, Ceiling * windows), "Activities only up to the ceiling");
    }

    [Test]
    public void WithTracingOffAndNoListenerTheCeilingIsNotAsked()
    {
        RunRounds(Capped.Value);
        long skippedBefore = Tracer.SkippedSpans;
        Tracer.Enabled = false;
        var outcome = WeavingFixture.Observe(() => RunRounds(Capped.Value));

        Assert.That(outcome.Tracers, Is.Empty);
        Assert.That(Tracer.SkippedSpans, Is.EqualTo(skippedBefore), "no call was a span, none was refused");
    }

    static int? Constant(Instruction instruction) => instruction.OpCode.Code switch
    {
        Code.Ldc_I4 => (int)instruction.Operand,
        Code.Ldc_I4_S => (sbyte)instruction.Operand,
        Code.Ldc_I4_0 => 0,
        _ => null,
    };

    static int Enters(IReadOnlyList<string> tracers) => tracers.Count(t => t.StartsWith(">:", StringComparison.Ordinal));

    /// <summary>Each exit closes the innermost open enter, with its id and tags, and nothing stays open.</summary>
    static void AssertNested(IReadOnlyList<string> tracers)
    {
        var open = new Stack<(string Id, string Tag)>();
        foreach (var tracer in tracers)
        {
            var parts = tracer.Split(':');
            if (parts[0] == ">")
            {
                open.Push((parts[1], parts[2]));
                continue;
            }

            Assert.That(parts[0], Is.EqualTo("<"), tracer);
            Assert.That(open, Is.Not.Empty, "an exit without its enter: " + tracer);
            Assert.That((parts[1], parts[2]), Is.EqualTo(open.Pop()), "the exit closes the innermost enter: " + tracer);
        }

        Assert.That(open, Is.Empty, "enters without their exit");
    }
}
