using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;

namespace Tests.Async;

/// <summary>
/// Iterators woven and run: one span per enumerator, from its first MoveNext to the end of the enumeration, an
/// exception, or Dispose, whichever comes first.
/// </summary>
[TestFixture(ShapesBuild.Project)]
[TestFixture(ShapesBuild.RoslynRelease)]
public class IteratorTests : AsyncShapeTests
{
    public IteratorTests(ShapesBuild build) : base(build)
    {
    }

    [Test]
    public void TheSpanOpensAtTheFirstMoveNextAndClosesAtTheEnd()
    {
        var sequence = Woven.Call<IEnumerable<int>>("Iterators", "Range", 10, 2);
        using var enumerator = sequence.GetEnumerator();
        Assert.That(Tracers, Is.Empty, "creating the enumerable and the enumerator writes nothing");

        Assert.That(enumerator.MoveNext(), Is.True);
        Assert.That(Spans.Describe(Tracers), Is.EqualTo(new[] { "> Iterators.Range start=10,count=2" }));
        Assert.That(enumerator.MoveNext(), Is.True);
        Assert.That(Tracers, Has.Count.EqualTo(1), "no exit while items remain");

        Assert.That(enumerator.MoveNext(), Is.False);
        Assert.That(enumerator.MoveNext(), Is.False);
        enumerator.Dispose();
        var span = Spans.Closed(Tracers).Single();
        Assert.That(Spans.Describe(span.Exit), Is.EqualTo("< Iterators.Range"));
    }

    [TestCaseSource(nameof(Cases))]
    public async Task BehavesAsUnwovenAndWritesOneSpanPerEnumeration(Func<Shapes, Task<object?>> scenario, string[] expected)
    {
        await Compare(scenario);
        var tracers = Tracers;
        Spans.Closed(tracers);
        Assert.That(Spans.Describe(tracers), Is.EqualTo(expected));
    }

    public static IEnumerable<TestCaseData> Cases()
    {
        yield return Case("enumerated to the end", s => List(s.Call<IEnumerable<int>>("Iterators", "Range", 3, 4)),
            "> Iterators.Range start=3,count=4", "< Iterators.Range");
        yield return Case("empty", s => List(s.Call<IEnumerable<int>>("Iterators", "Empty")),
            "> Iterators.Empty", "< Iterators.Empty");
        yield return Case("early break runs the finally block, then closes", s =>
            {
                var log = new List<string>();
                var first = s.Call<IEnumerable<string>>("Iterators", "WithFinally", log).First();
                return first + " " + string.Join("|", log);
            },
            "> Iterators.WithFinally", "< Iterators.WithFinally");
        yield return Case("finally at the end", s =>
            {
                var log = new List<string>();
                return string.Join(",", s.Call<IEnumerable<string>>("Iterators", "WithFinally", log)) + " " + string.Join("|", log);
            },
            "> Iterators.WithFinally", "< Iterators.WithFinally");
        yield return Case("throws after items", s => List(s.Call<IEnumerable<int>>("Iterators", "ThrowsAfter", 2)),
            "> Iterators.ThrowsAfter", "< Iterators.ThrowsAfter exception=System.InvalidOperationException");
        yield return Case("throws inside try/finally (the compiler disposes)", s =>
            {
                var log = new List<string>();
                try
                {
                    return List(s.Call<IEnumerable<int>>("Iterators", "ThrowsInsideTry", log));
                }
                finally
                {
                    Assert.That(log, Is.EqualTo(new[] { "finally" }));
                }
            },
            "> Iterators.ThrowsInsideTry", "< Iterators.ThrowsInsideTry exception=System.FormatException");
        yield return Case("a finally block throws during Dispose (early break)", s =>
            {
                var log = new List<string>();
                try
                {
                    return s.Call<IEnumerable<int>>("Iterators", "FinallyThrows", log).First();
                }
                finally
                {
                    Assert.That(log, Is.EqualTo(new[] { "finally" }));
                }
            },
            "> Iterators.FinallyThrows", "< Iterators.FinallyThrows exception=System.InvalidOperationException");
        yield return Case("a finally block throws at the end", s => List(s.Call<IEnumerable<int>>("Iterators", "FinallyThrows", new List<string>())),
            "> Iterators.FinallyThrows", "< Iterators.FinallyThrows exception=System.InvalidOperationException");
        yield return Case("a finally block replaces the body's exception", s => List(s.Call<IEnumerable<int>>("Iterators", "FinallyReplacesException")),
            "> Iterators.FinallyReplacesException", "< Iterators.FinallyReplacesException exception=System.InvalidOperationException");
        yield return Case("an exception filter lets the exception through", s =>
            {
                var log = new List<string>();
                try
                {
                    return List(s.Call<IEnumerable<int>>("Iterators", "FilterLetsThrough", log));
                }
                finally
                {
                    Assert.That(log, Is.EqualTo(new[] { "filter filtered" }));
                }
            },
            "> Iterators.FilterLetsThrough", "< Iterators.FilterLetsThrough exception=System.FormatException");
        yield return Case("exception caught inside", s => List(s.Call<IEnumerable<int>>("Iterators", "CatchesInside")),
            "> Iterators.CatchesInside", "< Iterators.CatchesInside");
        yield return Case("IEnumerator<T> iterator", s =>
            {
                var letters = new List<char>();
                using var enumerator = s.Call<IEnumerator<char>>("Iterators", "Letters", "abc");
                while (enumerator.MoveNext())
                {
                    letters.Add(enumerator.Current);
                }

                return new string(letters.ToArray());
            },
            "> Iterators.Letters text=abc", "< Iterators.Letters");
        yield return Case("generic method", s => List(s.CallGeneric<IEnumerable<string>>("Iterators", "Repeat", new[] { typeof(string) }, "r", 2)),
            "> Iterators.Repeat value=r,count=2", "< Iterators.Repeat");
        yield return Case("generic method, value type", s => List(s.CallGeneric<IEnumerable<long>>("Iterators", "Repeat", new[] { typeof(long) }, 8L, 1)),
            "> Iterators.Repeat value=8,count=1", "< Iterators.Repeat");
        yield return Case("parameter the body does not use", s => List(s.Call<IEnumerable<int>>("Iterators", "UnusedParameter", 2, "u")),
            "> Iterators.UnusedParameter count=2,unused=u", "< Iterators.UnusedParameter");
        yield return Case("generic type", s => List(Shapes.Call<IEnumerable<string>>(s.Type("GenericSequence`1").MakeGenericType(typeof(string)), "Of", null, new object?[] { new[] { "p", "q" } })),
            "> GenericSequence.Items", "< GenericSequence.Items");
        yield return Case("not traced", s => List(s.Call<IEnumerable<int>>("Iterators", "NotTraced")));
        yield return Case("the same enumerable enumerated twice: two spans", s =>
            {
                var sequence = s.Call<IEnumerable<int>>("Iterators", "Range", 1, 2);
                return List(sequence) + " " + List(sequence);
            },
            "> Iterators.Range start=1,count=2", "< Iterators.Range", "> Iterators.Range start=1,count=2", "< Iterators.Range");
        yield return Case("two enumerators of one enumerable, interleaved", s =>
            {
                var sequence = s.Call<IEnumerable<int>>("Iterators", "Range", 5, 2);
                using var a = sequence.GetEnumerator();
                using var b = sequence.GetEnumerator();
                var sum = 0;
                while (a.MoveNext() & b.MoveNext())
                {
                    sum += a.Current * b.Current;
                }

                return sum;
            },
            "> Iterators.Range start=5,count=2", "> Iterators.Range start=5,count=2", "< Iterators.Range", "< Iterators.Range");
        yield return Case("disposed before the first MoveNext: no span", s =>
            {
                using var enumerator = s.Call<IEnumerable<int>>("Iterators", "Range", 1, 1).GetEnumerator();
                return "disposed";
            });
        yield return Case("non-generic IEnumerable", s =>
            {
                var count = 0;
                foreach (var unused in (IEnumerable)s.Call<IEnumerable<int>>("Iterators", "Range", 0, 3))
                {
                    count++;
                }

                return count;
            },
            "> Iterators.Range start=0,count=3", "< Iterators.Range");
    }

    [Test]
    public void DisposeAfterTheEndOrTwiceWritesNoSecondExit()
    {
        var log = new List<string>();
        var enumerator = Woven.Call<IEnumerable<string>>("Iterators", "WithFinally", log).GetEnumerator();
        Assert.That(enumerator.MoveNext());
        enumerator.Dispose();
        enumerator.Dispose();
        Assert.That(enumerator.MoveNext(), Is.False);
        Assert.That(log, Is.EqualTo(new[] { "body", "finally" }));
        Assert.That(Spans.Describe(Spans.Closed(Tracers).Select(s => s.Exit)), Is.EqualTo(new[] { "< Iterators.WithFinally" }));
    }

    [Test]
    public void EnumeratedFromManyThreadsEachEnumerationIsItsOwnSpan()
    {
        var sequence = Woven.Call<IEnumerable<int>>("Iterators", "Range", 0, 50);
        var sums = new int[16];
        Parallel.For(0, sums.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => sums[i] = sequence.Sum());
        Assert.That(sums, Is.All.EqualTo(Enumerable.Range(0, 50).Sum()));
        var spans = Spans.Closed(Tracers);
        Assert.That(spans, Has.Count.EqualTo(sums.Length));
        Assert.That(spans.Select(s => Spans.Describe(s.Enter)), Is.All.EqualTo("> Iterators.Range start=0,count=50"));
    }

    static TestCaseData Case(string name, Func<Shapes, object?> call, params string[] expected) =>
        new TestCaseData((Func<Shapes, Task<object?>>)(s => Task.FromResult(call(s))), expected).SetName(name);

    static string List<T>(IEnumerable<T> sequence) => string.Join(",", sequence);
}
