using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using NUnit.Framework;
using Tests.Async;

namespace Tests.Activities;

/// <summary>
/// Async methods, iterators and async iterators (Debug class and Release struct state machines) under the
/// OpenTelemetry SDK: every scenario of the state machine tests records one Activity per sysdig span, ending when
/// the span does; an async method's Activity lasts from the call to the completion, across threads, with its
/// children nested under it; the caller's <see cref="Activity.Current"/> is never changed by a call, a pending
/// operation or an enumeration step.
/// </summary>
[TestFixture(ShapesBuild.Project)]
[TestFixture(ShapesBuild.RoslynDebug)]
[TestFixture(ShapesBuild.RoslynRelease)]
public class StateMachineActivityTests : AsyncShapeTests
{
    SpanCapture capture = null!;

    public StateMachineActivityTests(ShapesBuild build) : base(build)
    {
    }

    [SetUp]
    public void Listen() => capture = new SpanCapture();

    [TearDown]
    public void StopListening() => capture.Dispose();

    [TestCaseSource(typeof(AsyncMethodTests), nameof(AsyncMethodTests.Cases))]
    [TestCaseSource(typeof(IteratorTests), nameof(IteratorTests.Cases))]
    [TestCaseSource(typeof(AsyncIteratorTests), nameof(AsyncIteratorTests.Cases))]
    public async Task EverySpanIsAnActivity(Func<Shapes, Task<object?>> scenario, string[] expected)
    {
        await Compare(scenario);
        Assert.That(Activity.Current, Is.SameAs(capture.Root), "the caller's Activity.Current");
        SpanExpectations.MatchById(Tracers, capture);
    }

    [TestCaseSource(typeof(AsyncMethodTests), nameof(AsyncMethodTests.Cases))]
    [TestCaseSource(typeof(IteratorTests), nameof(IteratorTests.Cases))]
    [TestCaseSource(typeof(AsyncIteratorTests), nameof(AsyncIteratorTests.Cases))]
    public async Task SampledOutSpansHaveNoActivityAndTheSameTracers(Func<Shapes, Task<object?>> scenario, string[] expected)
    {
        capture.Dispose();
        capture = new SpanCapture(new RootOnlySampler());
        await Compare(scenario);
        Assert.That(Activity.Current, Is.SameAs(capture.Root), "the caller's Activity.Current");
        Assert.That(capture.Started, Is.Empty);
        var tracers = Tracers;
        Spans.Closed(tracers);
        Assert.That(Spans.Describe(tracers), Is.EqualTo(expected), "the same tracers as with every span sampled");
    }

    [Test]
    public async Task AnAsyncMethodIsOneActivityFromTheCallToTheCompletion()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var task = Woven.Call<Task<int>>("AsyncMethods", "AddAsync", 1, 2, gate.Task);
        Assert.That(Activity.Current, Is.SameAs(capture.Root), "restored while the operation is pending");
        var span = capture.Open.Single();
        Assert.That(span.DisplayName, Is.EqualTo("AsyncMethods.AddAsync"));
        Assert.That(span.ParentSpanId, Is.EqualTo(capture.Root.SpanId));
        Assert.That(span.GetTagItem("a"), Is.EqualTo(1L));

        gate.SetResult();
        Assert.That(await task, Is.EqualTo(3));
        Assert.That(capture.Spans.Single(), Is.SameAs(span));
        Assert.That(span.GetTagItem("return"), Is.EqualTo(3L));
        Assert.That(span.Duration, Is.GreaterThan(TimeSpan.Zero));
        Assert.That(Activity.Current, Is.SameAs(capture.Root));
    }

    [Test]
    public async Task AnAsyncMethodThatCompletesSynchronouslyGivesTheCallerItsActivityBack()
    {
        var task = Woven.Call<Task<int>>("AsyncMethods", "CompletesSynchronously", 5);
        Assert.That(task.IsCompleted);
        Assert.That(Activity.Current, Is.SameAs(capture.Root));
        Assert.That(await task, Is.EqualTo(10));
        var span = capture.Spans.Single();
        Assert.That(span.ParentSpanId, Is.EqualTo(capture.Root.SpanId));
        Assert.That(span.GetTagItem("return"), Is.EqualTo(10L));
    }

    [Test]
    public async Task ChildrenAfterAnAwaitNestUnderTheAsyncMethod()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var task = Woven.Call<Task<int>>("AsyncMethods", "Outer", gate.Task);
        gate.SetResult();
        Assert.That(await task, Is.EqualTo(42));
        var spans = capture.Spans;
        var outer = spans.Single(s => s.DisplayName == "AsyncMethods.Outer");
        var inner = spans.Single(s => s.DisplayName == "AsyncMethods.Inner");
        Assert.That(outer.ParentSpanId, Is.EqualTo(capture.Root.SpanId));
        Assert.That(inner.ParentSpanId, Is.EqualTo(outer.SpanId));
        Assert.That(inner.StartTimeUtc + inner.Duration, Is.LessThanOrEqualTo(outer.StartTimeUtc + outer.Duration));

        capture.Clear();
        Assert.That(await Woven.Call<Task<int>>("AsyncMethods", "Recurse", 3), Is.EqualTo(3));
        var chain = capture.Spans;
        Assert.That(chain, Has.Count.EqualTo(4));
        for (var i = 1; i < chain.Count; i++)
        {
            Assert.That(chain[i].ParentSpanId, Is.EqualTo(chain[i - 1].SpanId), "depth " + i);
            Assert.That(chain[i].GetTagItem("depth"), Is.EqualTo((long)(3 - i)));
        }
    }

    [Test]
    public async Task ConcurrentCallsEachNestUnderTheirOwnCaller()
    {
        var calls = Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            using var caller = new ActivitySource(SpanCapture.TestSourceName).StartActivity("caller " + i)!;
            var result = await Woven.Call<Task<int>>("AsyncMethods", "AddAsync", i, 1, Later());
            Assert.That(Activity.Current, Is.SameAs(caller));
            return (caller.SpanId, result, i);
        })).ToList();
        var results = await Task.WhenAll(calls);
        var spans = capture.Spans;
        foreach (var (callerId, result, i) in results)
        {
            Assert.That(result, Is.EqualTo(i + 1));
            var span = spans.Single(s => s.ParentSpanId == callerId);
            Assert.That(span.GetTagItem("a"), Is.EqualTo((long)i));
            Assert.That(span.GetTagItem("return"), Is.EqualTo((long)(i + 1)));
        }
    }

    [Test]
    public void AnIteratorsActivityIsCurrentOnlyWhileItsBodyRuns()
    {
        var seen = new List<int>();
        foreach (var square in Woven.Call<IEnumerable<int>>("Iterators", "Squares", 3))
        {
            Assert.That(Activity.Current, Is.SameAs(capture.Root), "between MoveNext calls, the caller's Activity");
            seen.Add(square);
        }

        Assert.That(seen, Is.EqualTo(new[] { 1, 4, 9 }));
        var spans = capture.Spans;
        var iterator = spans.Single(s => s.DisplayName == "Iterators.Squares");
        var squares = spans.Where(s => s.DisplayName == "Iterators.Square").ToList();
        Assert.That(iterator.ParentSpanId, Is.EqualTo(capture.Root.SpanId));
        Assert.That(squares, Has.Count.EqualTo(3));
        Assert.That(squares.Select(s => s.ParentSpanId), Has.All.EqualTo(iterator.SpanId), "calls from the body nest under the iterator");
        Assert.That(squares.Select(s => s.GetTagItem("return")), Is.EqualTo(new object[] { 1L, 4L, 9L }));
    }

    [Test]
    public void AnIteratorLeftEarlyEndsItsActivityWithoutTouchingTheCaller()
    {
        var first = Woven.Call<IEnumerable<int>>("Iterators", "Squares", 5).First();
        Assert.That(first, Is.EqualTo(1));
        Assert.That(Activity.Current, Is.SameAs(capture.Root));
        Assert.That(capture.Spans.Select(s => s.DisplayName), Is.EqualTo(new[] { "Iterators.Squares", "Iterators.Square" }));
        Assert.That(capture.Open, Is.Empty);
    }

    [Test]
    public async Task AnAsyncIteratorsActivityIsCurrentOnlyWhileItsBodyRuns()
    {
        var seen = new List<int>();
        await foreach (var square in Woven.Call<IAsyncEnumerable<int>>("AsyncIterators", "SquaresAsync", 3))
        {
            Assert.That(Activity.Current, Is.SameAs(capture.Root), "between steps, the caller's Activity");
            seen.Add(square);
        }

        Assert.That(seen, Is.EqualTo(new[] { 1, 4, 9 }));
        var spans = capture.Spans;
        var iterator = spans.Single(s => s.DisplayName == "AsyncIterators.SquaresAsync");
        Assert.That(iterator.ParentSpanId, Is.EqualTo(capture.Root.SpanId));
        Assert.That(spans.Where(s => s.DisplayName == "Iterators.Square").Select(s => s.ParentSpanId), Has.Exactly(3).EqualTo(iterator.SpanId));
    }

    [Test]
    public async Task AnExceptionAfterAnAwaitIsRecordedOnTheAsyncMethodsActivity()
    {
        var task = Woven.Call<Task<int>>("AsyncMethods", "ThrowsAfterAwait", Later());
        Assert.ThrowsAsync<InvalidOperationException>(async () => await task);
        var span = capture.Spans.Single();
        Assert.That(span.Status, Is.EqualTo(ActivityStatusCode.Error));
        var recorded = span.Events.Single(e => e.Name == "exception");
        Assert.That(recorded.Tags.Single(t => t.Key == "exception.type").Value, Is.EqualTo("System.InvalidOperationException"));
        Assert.That(recorded.Tags.Single(t => t.Key == "exception.message").Value, Is.EqualTo(task.Exception!.InnerException!.Message));
        await Task.CompletedTask;
    }
}
