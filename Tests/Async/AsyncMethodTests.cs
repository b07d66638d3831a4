using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;
using SysdigTracers;

namespace Tests.Async;

/// <summary>
/// Async methods woven and run (Debug class state machines and Release struct state machines): one enter when
/// called, one exit when the operation completes, same fresh id, results and exceptions unchanged.
/// </summary>
[TestFixture(ShapesBuild.Project)]
[TestFixture(ShapesBuild.RoslynDebug)]
[TestFixture(ShapesBuild.RoslynRelease)]
public class AsyncMethodTests : AsyncShapeTests
{
    public AsyncMethodTests(ShapesBuild build) : base(build)
    {
    }

    [Test]
    public void StateMachinesAreClassesInDebugAndStructsInRelease()
    {
        var kickoff = Woven.Type("AsyncMethods").GetMethod("AddAsync")!;
        var stateMachine = kickoff.GetCustomAttribute<AsyncStateMachineAttribute>()!.StateMachineType;
        if (Build == ShapesBuild.RoslynRelease)
        {
            Assert.That(stateMachine.IsValueType, Is.True);
        }
        else if (Build == ShapesBuild.RoslynDebug)
        {
            Assert.That(stateMachine.IsValueType, Is.False);
        }

        Assert.That(stateMachine.GetField("<>sysdig_span", BindingFlags.Public | BindingFlags.Instance)?.FieldType, Is.EqualTo(typeof(long)));
    }

    [Test]
    public async Task ExitIsWrittenOnlyWhenTheOperationCompletes()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var task = Woven.Call<Task<int>>("AsyncMethods", "AddAsync", 1, 2, gate.Task);

        Assert.That(Spans.Describe(Tracers), Is.EqualTo(new[] { "> AsyncMethods.AddAsync a=1,b=2" }));
        await Task.Delay(20);
        Assert.That(task.IsCompleted, Is.False);
        Assert.That(Spans.Describe(Tracers), Has.Count.EqualTo(1), "no exit while the operation is pending");

        gate.SetResult();
        Assert.That(await task, Is.EqualTo(3));
        var span = Spans.Closed(Tracers).Single();
        Assert.That(Spans.Describe(span.Exit), Is.EqualTo("< AsyncMethods.AddAsync return=3"));
        Assert.That(span.Exit.Id, Is.EqualTo(span.Enter.Id));
    }

    [Test]
    public async Task ExceptionExitIsWrittenOnlyWhenTheOperationFails()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var task = Woven.Call<Task<int>>("AsyncMethods", "ThrowsAfterAwait", gate.Task);
        await Task.Delay(20);
        Assert.That(Spans.Describe(Tracers), Is.EqualTo(new[] { "> AsyncMethods.ThrowsAfterAwait" }));

        gate.SetResult();
        Assert.ThrowsAsync<InvalidOperationException>(async () => await task);
        Assert.That(Spans.Describe(Spans.Closed(Tracers).Single().Exit),
            Is.EqualTo("< AsyncMethods.ThrowsAfterAwait exception=System.InvalidOperationException"));
    }

    [Test]
    public async Task CancellationIsTheExceptionThatCancelledTheTask()
    {
        using var cancellation = new CancellationTokenSource();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var byToken = Woven.Call<Task>("AsyncMethods", "CancelledByToken", gate.Task, cancellation.Token);
        var delay = Woven.Call<Task>("AsyncMethods", "CancelledDelay", cancellation.Token);
        await Task.Delay(20);
        Assert.That(Spans.Pair(Tracers).All(s => s.Exit == null), "nothing completed yet");

        cancellation.Cancel();
        gate.SetResult();
        Assert.CatchAsync<OperationCanceledException>(async () => await byToken);
        Assert.CatchAsync<OperationCanceledException>(async () => await delay);
        Assert.That(byToken.IsCanceled && delay.IsCanceled);
        Assert.That(Spans.Closed(Tracers).Select(s => Spans.Describe(s.Exit)), Is.EquivalentTo(new[]
        {
            "< AsyncMethods.CancelledByToken exception=System.OperationCanceledException",
            "< AsyncMethods.CancelledDelay exception=System.Threading.Tasks.TaskCanceledException",
        }));
    }

    [TestCaseSource(nameof(Cases))]
    public async Task BehavesAsUnwovenAndWritesOneSpanPerCall(Func<Shapes, Task<object?>> scenario, string[] expected)
    {
        await Compare(scenario);
        var tracers = Tracers;
        Spans.Closed(tracers);
        Assert.That(Spans.Describe(tracers), Is.EqualTo(expected));
    }

    public static IEnumerable<TestCaseData> Cases()
    {
        yield return Case("Task<T>", s => s.Call<Task<int>>("AsyncMethods", "AddAsync", 20, 22, Later()),
            "> AsyncMethods.AddAsync a=20,b=22", "< AsyncMethods.AddAsync return=42");
        yield return Case("Task", s => s.Call<Task>("AsyncMethods", "WaitAsync", Later()),
            "> AsyncMethods.WaitAsync", "< AsyncMethods.WaitAsync");
        yield return Case("ValueTask<T>", s => s.Call<ValueTask<string>>("AsyncMethods", "ValueTaskAsync", Later("hi")).AsTask(),
            "> AsyncMethods.ValueTaskAsync", "< AsyncMethods.ValueTaskAsync return=hi!");
        yield return Case("ValueTask", s => s.Call<ValueTask>("AsyncMethods", "ValueTaskVoidAsync", Later()).AsTask(),
            "> AsyncMethods.ValueTaskVoidAsync", "< AsyncMethods.ValueTaskVoidAsync");
        yield return Case("custom task-like", s => CustomTask(s.Call<object>("AsyncMethods", "CustomTaskAsync", Later(4))),
            "> AsyncMethods.CustomTaskAsync", "< AsyncMethods.CustomTaskAsync return=40");
        yield return Case("custom task-like throws", s => CustomTask(s.Call<object>("AsyncMethods", "CustomTaskAsync", Later(-1))),
            "> AsyncMethods.CustomTaskAsync", "< AsyncMethods.CustomTaskAsync exception=System.ArgumentOutOfRangeException");
        yield return Case("task-like with a class builder", s => ClassBuilderTask<string>(s.Call<object>("AsyncMethods", "ClassBuilderAsync", Later(5))),
            "> AsyncMethods.ClassBuilderAsync", "< AsyncMethods.ClassBuilderAsync return=value 5");
        yield return Case("task-like with a class builder throws", s => ClassBuilderTask<string>(s.Call<object>("AsyncMethods", "ClassBuilderAsync", Later(-5))),
            "> AsyncMethods.ClassBuilderAsync", "< AsyncMethods.ClassBuilderAsync exception=System.InvalidOperationException");
        yield return Case("completes synchronously", s => Completed(s.Call<Task<int>>("AsyncMethods", "CompletesSynchronously", 5)),
            "> AsyncMethods.CompletesSynchronously value=5", "< AsyncMethods.CompletesSynchronously return=10");
        yield return Case("fails synchronously", s => Completed(s.Call<Task<int>>("AsyncMethods", "CompletesSynchronously", -1)),
            "> AsyncMethods.CompletesSynchronously value=-1", "< AsyncMethods.CompletesSynchronously exception=System.ArgumentException");
        yield return Case("throws after await", s => s.Call<Task<int>>("AsyncMethods", "ThrowsAfterAwait", Later()),
            "> AsyncMethods.ThrowsAfterAwait", "< AsyncMethods.ThrowsAfterAwait exception=System.InvalidOperationException");
        yield return Case("throws before await", s => s.Call<Task>("AsyncMethods", "ThrowsBeforeAwait", Later()),
            "> AsyncMethods.ThrowsBeforeAwait", "< AsyncMethods.ThrowsBeforeAwait exception=System.NotSupportedException");
        yield return Case("cancelled by token", s => s.Call<Task>("AsyncMethods", "CancelledByToken", Later(), new CancellationToken(true)),
            "> AsyncMethods.CancelledByToken", "< AsyncMethods.CancelledByToken exception=System.OperationCanceledException");
        yield return Case("cancelled delay", s => s.Call<Task>("AsyncMethods", "CancelledDelay", new CancellationToken(true)),
            "> AsyncMethods.CancelledDelay", "< AsyncMethods.CancelledDelay exception=System.Threading.Tasks.TaskCanceledException");
        yield return Case("exception caught inside, await in finally", s => s.Call<Task<string>>("AsyncMethods", "CaughtInside", Later()),
            "> AsyncMethods.CaughtInside", "< AsyncMethods.CaughtInside");
        yield return Case("ConfigureAwait(false)", s => s.Call<Task<int>>("AsyncMethods", "ConfigureAwaitFalse", Later(1)),
            "> AsyncMethods.ConfigureAwaitFalse", "< AsyncMethods.ConfigureAwaitFalse return=2");
        yield return Case("Task.Yield", s => s.Call<Task<int>>("AsyncMethods", "Yields", 4),
            "> AsyncMethods.Yields", "< AsyncMethods.Yields return=6");
        yield return Case("nested spans", s => s.Call<Task<int>>("AsyncMethods", "Outer", Later()),
            "> AsyncMethods.Outer", "> AsyncMethods.Inner", "< AsyncMethods.Inner return=41", "< AsyncMethods.Outer return=42");
        yield return Case("generic method, value type", s => s.CallGeneric<Task<int>>("AsyncMethods", "EchoAsync", new[] { typeof(int) }, 5, Later()),
            "> AsyncMethods.EchoAsync value=5", "< AsyncMethods.EchoAsync return=5");
        yield return Case("generic method, reference type", s => s.CallGeneric<Task<string>>("AsyncMethods", "EchoAsync", new[] { typeof(string) }, "x", Later()),
            "> AsyncMethods.EchoAsync value=x", "< AsyncMethods.EchoAsync return=x");
        yield return Case("generic method, two type parameters", s => s.CallGeneric<Task<KeyValuePair<string, int>>>("AsyncMethods", "PairAsync", new[] { typeof(string), typeof(int) }, "k", 3),
            "> AsyncMethods.PairAsync key=k,value=3", "< AsyncMethods.PairAsync return=[k, 3]");
        yield return Case("parameter the body does not use", s => s.Call<Task<int>>("AsyncMethods", "UnusedParameter", 7, "u", Later()),
            "> AsyncMethods.UnusedParameter used=7,unused=u", "< AsyncMethods.UnusedParameter");
        yield return Case("local function", s => s.Call<Task<int>>("AsyncMethods", "CallsLocalFunction", 1),
            "> AsyncMethods.CallsLocalFunction.Local value=1", "< AsyncMethods.CallsLocalFunction.Local return=101");
        yield return Case("not traced", s => s.Call<Task<int>>("AsyncMethods", "NotTraced", Later()));
        yield return Case("generic type", s => Shapes.Call<Task<int>>(s.Type("GenericHolder`1").MakeGenericType(typeof(int)), "Get", null, new object?[] { 9, Later() }),
            "> GenericHolder.GetAsync", "< GenericHolder.GetAsync return=9");
        yield return Case("generic method of a generic type", s => Shapes.Call<Task<List<string>>>(s.Type("GenericHolder`1").MakeGenericType(typeof(string)), "Combine", null, new object?[] { "z" }),
            "> GenericHolder.CombineAsync", "< GenericHolder.CombineAsync return=System.Collections.Generic.List`1[System.String]");
        yield return Case("struct", s => s.Call<Task<int>>("StructHolder", "Times", 6, 7, Later()),
            "> StructHolder.TimesAsync", "< StructHolder.TimesAsync return=42");
        yield return Case("secret result, Task<T>", s => s.Call<Task<string>>("AsyncSecrets", "GetPasswordAsync", "ann", Later()),
            "> AsyncSecrets.GetPasswordAsync user=ann", "< AsyncSecrets.GetPasswordAsync return=<redacted>");
        yield return Case("secret result, ValueTask<T>", s => s.Call<ValueTask<string>>("AsyncSecrets", "ReadConnectionStringAsync", Later("db")).AsTask(),
            "> AsyncSecrets.ReadConnectionStringAsync", "< AsyncSecrets.ReadConnectionStringAsync return=<redacted>");
        yield return Case("secret result, name a secret without Async", s => s.Call<Task<string>>("AsyncSecrets", "GetTokenAsync", 7, Later()),
            "> AsyncSecrets.GetTokenAsync user=7", "< AsyncSecrets.GetTokenAsync return=<redacted>");
        yield return Case("secret result, throws", s => s.Call<Task<string>>("AsyncSecrets", "GetTokenAsync", -1, Later()),
            "> AsyncSecrets.GetTokenAsync user=-1", "< AsyncSecrets.GetTokenAsync exception=System.UnauthorizedAccessException");
        yield return Case("secret result, completes synchronously", s => s.Call<Task<string>>("AsyncSecrets", "GetTokenAsync", 8, Task.CompletedTask),
            "> AsyncSecrets.GetTokenAsync user=8", "< AsyncSecrets.GetTokenAsync return=<redacted>");
        yield return Case("secret result, generic method, value type", s => s.CallGeneric<Task<int>>("AsyncSecrets", "ReadSecretAsync", new[] { typeof(int) }, 1234, Later()),
            "> AsyncSecrets.ReadSecretAsync value=1234", "< AsyncSecrets.ReadSecretAsync return=<redacted>");
        yield return Case("secret result, generic method, reference type", s => s.CallGeneric<Task<string>>("AsyncSecrets", "ReadSecretAsync", new[] { typeof(string) }, "s3cr3t", Later()),
            "> AsyncSecrets.ReadSecretAsync value=s3cr3t", "< AsyncSecrets.ReadSecretAsync return=<redacted>");
        yield return Case("secret word inside another word: TokenizeAsync", s => s.Call<Task<string>>("AsyncSecrets", "TokenizeAsync", "a b", Later()),
            "> AsyncSecrets.TokenizeAsync text=a b", "< AsyncSecrets.TokenizeAsync return=a|b");
    }

    [Test]
    public async Task AsyncLambdaMarkedTraced()
    {
        var result = await Compare(async s =>
        {
            var lambda = s.Call<Func<int, Task<int>>>("AsyncMethods", "TracedLambda");
            return await lambda(4);
        });
        Assert.That(result, Is.EqualTo("result 12"));
        var span = Spans.Closed(Tracers).Single();
        Assert.That(span.Enter.TagPath, Does.StartWith(AsyncFixture.Namespace + ".AsyncMethods.TracedLambda.lambda_"));
        Assert.That(span.Enter.Args.Single().ToString(), Is.EqualTo("[x, 4]"));
        Assert.That(span.Exit.Args.Single().ToString(), Is.EqualTo("[return, 12]"));
    }

    [Test]
    public async Task DeepRecursionNestsOneSpanPerCall()
    {
        const int depth = 300;
        Assert.That(await Compare(async s => await s.Call<Task<int>>("AsyncMethods", "Recurse", depth)), Is.EqualTo("result " + depth));
        var tracers = Tracers;
        var spans = Spans.Closed(tracers);
        Assert.That(spans, Has.Count.EqualTo(depth + 1));
        var expected = Enumerable.Range(0, depth + 1).Select(i => "> AsyncMethods.Recurse depth=" + (depth - i))
            .Concat(Enumerable.Range(0, depth + 1).Select(i => "< AsyncMethods.Recurse return=" + i));
        Assert.That(Spans.Describe(tracers), Is.EqualTo(expected), "each call's exit comes after its callee's");
    }

    [Test]
    public async Task TenThousandConcurrentCallsHaveUniqueIdsAndTheirOwnResults()
    {
        const int count = 10_000;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new Task<int>[count];
        var woven = Woven;
        Parallel.For(0, count, i => started[i] = woven.Call<Task<int>>("AsyncMethods", "AddAsync", i, 1, gate.Task));

        var enters = Tracers;
        Assert.That(enters, Has.Count.EqualTo(count));
        Assert.That(enters.All(t => t.Direction == Runtime.TracerDirection.Enter), "no exit before the gate opens");

        gate.SetResult();
        var results = await Task.WhenAll(started);
        Assert.That(results, Is.EqualTo(Enumerable.Range(1, count)));

        var spans = Spans.Closed(Tracers);
        Assert.That(spans, Has.Count.EqualTo(count));
        Assert.That(spans.Select(s => s.Enter.Id).Distinct().Count(), Is.EqualTo(count), "unique ids");
        foreach (var (enter, exit) in spans)
        {
            var a = int.Parse(enter.Args[0].Value);
            Assert.That(exit.Args.Single().Value, Is.EqualTo((a + 1).ToString()), "each exit carries its own call's result");
        }
    }

    [Test]
    public async Task AsyncVoidWritesItsExitWhenItEnds()
    {
        var context = new RecordingContext();
        var previous = SynchronizationContext.Current;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var failing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        SynchronizationContext.SetSynchronizationContext(context);
        try
        {
            Woven.Call<object?>("AsyncMethods", "FireAndForget", gate.Task, false);
            Woven.Call<object?>("AsyncMethods", "FireAndForget", failing.Task, true);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }

        await Task.Delay(20);
        Assert.That(Spans.Describe(Tracers), Is.EqualTo(new[] { "> AsyncMethods.FireAndForget", "> AsyncMethods.FireAndForget" }));

        gate.SetResult();
        failing.SetResult();
        await context.AllCompleted(2);
        var spans = Spans.Closed(Tracers);
        Assert.That(spans.Select(s => Spans.Describe(s.Exit)), Is.EquivalentTo(new[]
        {
            "< AsyncMethods.FireAndForget",
            "< AsyncMethods.FireAndForget exception=System.InvalidOperationException",
        }));
        Assert.That(context.Exceptions.Select(e => e.GetType()), Is.EqualTo(new[] { typeof(InvalidOperationException) }),
            "the exception still reaches the synchronization context");
    }

    [Test]
    public async Task NoTracersWhileTracingIsOffAndNoExitForASpanThatNeverStarted()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Tracer.Enabled = false;
        var task = Woven.Call<Task<int>>("AsyncMethods", "AddAsync", 1, 1, gate.Task);
        Tracer.Enabled = true;
        gate.SetResult();
        Assert.That(await task, Is.EqualTo(2));
        Assert.That(Tracers, Is.Empty);
    }

    [Test]
    public void EveryWovenStateMachineMethodCompiles()
    {
        var count = StateMachineCompilation.PrepareAll(Woven.Assembly);
        Assert.That(count, Is.GreaterThan(20));
    }

    [Test]
    public void NoWarningsOrErrorsForTheShapes()
    {
        var run = AsyncFixture.Run(Build);
        Assert.That(run.Errors.Select(e => e.Text), Is.Empty);
        Assert.That(run.Warnings.Select(w => w.Text).Where(t => t.Contains(AsyncFixture.Namespace, StringComparison.Ordinal)), Is.Empty);
    }

    static TestCaseData Case(string name, Func<Shapes, object> call, params string[] expected) =>
        new TestCaseData((Func<Shapes, Task<object?>>)(async s => await AsTask(call(s))), expected).SetName(name);

    static async Task<object?> AsTask(object task)
    {
        switch (task)
        {
            case Task<object?> objectTask:
                return await objectTask;
            case Task plain:
                await plain;
                var result = plain.GetType().GetProperty("Result");
                return result == null || result.PropertyType.Name == "VoidTaskResult" ? null : result.GetValue(plain);
            default:
                throw new ArgumentException("not a task: " + task);
        }
    }

    static Task<T> ClassBuilderTask<T>(object task) => (Task<T>)task.GetType().GetMethod("AsTask")!.Invoke(task, null)!;

    static Task<int> CustomTask(object customTask) => (Task<int>)customTask.GetType().GetMethod("AsTask")!.Invoke(customTask, null)!;

    static Task Completed(Task task)
    {
        Assert.That(task.IsCompleted, "completed synchronously");
        return task;
    }

    /// <summary>Runs posted work on the thread pool and records the exceptions that async void methods rethrow there.</summary>
    sealed class RecordingContext : SynchronizationContext
    {
        readonly ConcurrentQueue<Exception> exceptions = new();
        int completed;

        public IReadOnlyCollection<Exception> Exceptions => exceptions.ToArray();

        public override void Post(SendOrPostCallback d, object? state) =>
            ThreadPool.QueueUserWorkItem(_ =>
            {
                SetSynchronizationContext(this);
                try
                {
                    d(state);
                }
                catch (Exception e)
                {
                    exceptions.Enqueue(e);
                }
            });

        public override void OperationCompleted() => Interlocked.Increment(ref completed);

        public async Task AllCompleted(int count)
        {
            for (var i = 0; i < 500 && (Volatile.Read(ref completed) < count || exceptions.IsEmpty); i++)
            {
                await Task.Delay(10);
            }

            await Task.Delay(20);
        }
    }
}
