using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;

namespace Tests.Async;

/// <summary>
/// Async iterators woven and run: one span per enumerator, from its first MoveNextAsync to the completion of the
/// enumeration (its end, an exception or cancellation, or DisposeAsync after an early break).
/// </summary>
[TestFixture(ShapesBuild.Project)]
[TestFixture(ShapesBuild.RoslynRelease)]
public class AsyncIteratorTests : AsyncShapeTests
{
    public AsyncIteratorTests(ShapesBuild build) : base(build)
    {
    }

    [Test]
    public async Task TheSpanOpensAtTheFirstMoveNextAsyncAndClosesWhenTheEnumerationCompletes()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sequence = Woven.Call<IAsyncEnumerable<int>>("AsyncIterators", "CountAsync", 2, gate.Task);
        var enumerator = sequence.GetAsyncEnumerator();
        Assert.That(Tracers, Is.Empty, "creating the enumerable and the enumerator writes nothing");

        var first = enumerator.MoveNextAsync();
        Assert.That(Spans.Describe(Tracers), Is.EqualTo(new[] { "> AsyncIterators.CountAsync count=2" }));
        await Task.Delay(20);
        Assert.That(first.IsCompleted, Is.False);

        gate.SetResult();
        Assert.That(await first, Is.True);
        Assert.That(await enumerator.MoveNextAsync(), Is.True);
        Assert.That(Tracers, Has.Count.EqualTo(1), "no exit while items remain");
        Assert.That(await enumerator.MoveNextAsync(), Is.False);
        var span = Spans.Closed(Tracers).Single();
        Assert.That(Spans.Describe(span.Exit), Is.EqualTo("< AsyncIterators.CountAsync"));

        await enumerator.DisposeAsync();
        Assert.That(Tracers, Has.Count.EqualTo(2), "DisposeAsync after the end writes nothing more");
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
        yield return Case("enumerated to the end", async s => await List(s.Call<IAsyncEnumerable<int>>("AsyncIterators", "CountAsync", 3, Later())),
            "> AsyncIterators.CountAsync count=3", "< AsyncIterators.CountAsync");
        yield return Case("early break: DisposeAsync runs the finally block, then closes", async s =>
            {
                var log = new List<string>();
                await foreach (var item in s.Call<IAsyncEnumerable<string>>("AsyncIterators", "WithFinally", log, Later()))
                {
                    log.Add(item);
                    break;
                }

                return string.Join("|", log);
            },
            "> AsyncIterators.WithFinally", "< AsyncIterators.WithFinally");
        yield return Case("finally at the end", async s =>
            {
                var log = new List<string>();
                return await List(s.Call<IAsyncEnumerable<string>>("AsyncIterators", "WithFinally", log, Later())) + " " + string.Join("|", log);
            },
            "> AsyncIterators.WithFinally", "< AsyncIterators.WithFinally");
        yield return Case("a finally block throws during DisposeAsync (early break)", async s =>
            {
                var log = new List<string>();
                await foreach (var item in s.Call<IAsyncEnumerable<int>>("AsyncIterators", "FinallyThrows", log, Later()))
                {
                    break;
                }

                return string.Join("|", log);
            },
            "> AsyncIterators.FinallyThrows", "< AsyncIterators.FinallyThrows exception=System.InvalidOperationException");
        yield return Case("a finally block throws at the end", async s => await List(s.Call<IAsyncEnumerable<int>>("AsyncIterators", "FinallyThrows", new List<string>(), Later())),
            "> AsyncIterators.FinallyThrows", "< AsyncIterators.FinallyThrows exception=System.InvalidOperationException");
        yield return Case("throws after items", async s => await List(s.Call<IAsyncEnumerable<int>>("AsyncIterators", "ThrowsAfter", 2, Later())),
            "> AsyncIterators.ThrowsAfter", "< AsyncIterators.ThrowsAfter exception=System.InvalidOperationException");
        yield return Case("cancelled", async s =>
            {
                using var cancellation = new CancellationTokenSource();
                var items = new List<int>();
                await foreach (var item in s.Call<IAsyncEnumerable<int>>("AsyncIterators", "Cancellable", Later(), CancellationToken.None).WithCancellation(cancellation.Token))
                {
                    items.Add(item);
                    cancellation.Cancel();
                }

                return items.Count;
            },
            "> AsyncIterators.Cancellable", "< AsyncIterators.Cancellable exception=System.OperationCanceledException");
        yield return Case("completes synchronously", async s =>
            {
                var enumerator = s.Call<IAsyncEnumerable<int>>("AsyncIterators", "CompletesSynchronously").GetAsyncEnumerator();
                var moves = new List<bool>();
                for (var i = 0; i < 3; i++)
                {
                    var move = enumerator.MoveNextAsync();
                    Assert.That(move.IsCompleted);
                    moves.Add(await move);
                }

                await enumerator.DisposeAsync();
                return string.Join(",", moves);
            },
            "> AsyncIterators.CompletesSynchronously", "< AsyncIterators.CompletesSynchronously");
        yield return Case("generic method", async s => await List(s.CallGeneric<IAsyncEnumerable<string>>("AsyncIterators", "RepeatAsync", new[] { typeof(string) }, "g", 2)),
            "> AsyncIterators.RepeatAsync value=g,count=2", "< AsyncIterators.RepeatAsync");
        yield return Case("generic method, value type", async s => await List(s.CallGeneric<IAsyncEnumerable<double>>("AsyncIterators", "RepeatAsync", new[] { typeof(double) }, 1.5, 1)),
            "> AsyncIterators.RepeatAsync value=1.5,count=1", "< AsyncIterators.RepeatAsync");
        yield return Case("parameter the body does not use", async s => await List(s.Call<IAsyncEnumerable<int>>("AsyncIterators", "UnusedParameter", 2, "u")),
            "> AsyncIterators.UnusedParameter count=2,unused=u", "< AsyncIterators.UnusedParameter");
        yield return Case("IAsyncEnumerator<T> async iterator", async s =>
            {
                var enumerator = s.Call<IAsyncEnumerator<int>>("AsyncIterators", "EnumeratorAsync", 2);
                var items = new List<int>();
                while (await enumerator.MoveNextAsync())
                {
                    items.Add(enumerator.Current);
                }

                await enumerator.DisposeAsync();
                return string.Join(",", items);
            },
            "> AsyncIterators.EnumeratorAsync", "< AsyncIterators.EnumeratorAsync");
        yield return Case("the same enumerable enumerated twice: two spans", async s =>
            {
                var sequence = s.Call<IAsyncEnumerable<int>>("AsyncIterators", "CountAsync", 2, Task.CompletedTask);
                return await List(sequence) + " " + await List(sequence);
            },
            "> AsyncIterators.CountAsync count=2", "< AsyncIterators.CountAsync", "> AsyncIterators.CountAsync count=2", "< AsyncIterators.CountAsync");
        yield return Case("DisposeAsync before the first MoveNextAsync: no span", async s =>
            {
                await s.Call<IAsyncEnumerable<int>>("AsyncIterators", "CountAsync", 2, Task.CompletedTask).GetAsyncEnumerator().DisposeAsync();
                return "disposed";
            });
    }

    [Test]
    public async Task ManyConcurrentEnumerationsHaveUniqueIds()
    {
        const int count = 1000;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sequence = Woven.Call<IAsyncEnumerable<int>>("AsyncIterators", "CountAsync", 3, gate.Task);
        var runs = Enumerable.Range(0, count).Select(_ => Task.Run(() => List(sequence))).ToList();
        await Task.Delay(50);
        gate.SetResult();
        Assert.That(await Task.WhenAll(runs), Is.All.EqualTo("0,1,2"));
        var spans = Spans.Closed(Tracers);
        Assert.That(spans, Has.Count.EqualTo(count));
        Assert.That(spans.Select(s => s.Enter.Id).Distinct().Count(), Is.EqualTo(count));
    }

    static TestCaseData Case(string name, Func<Shapes, Task<object?>> call, params string[] expected) =>
        new TestCaseData(call, expected).SetName(name);

    static async Task<object?> List<T>(IAsyncEnumerable<T> sequence)
    {
        var items = new List<T>();
        await foreach (var item in sequence)
        {
            items.Add(item);
        }

        return string.Join(",", items);
    }
}
