using System;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;

namespace AssemblyToProcess.Async;

/// <summary>A minimal task-like type with its own <see cref="AsyncMethodBuilderAttribute"/> builder.</summary>
[AsyncMethodBuilder(typeof(CustomTaskBuilder<>))]
public sealed class CustomTask<T>
{
    internal readonly TaskCompletionSource<T> Source = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The operation as a task.</summary>
    public Task<T> AsTask() => Source.Task;

    /// <summary>Makes the type awaitable.</summary>
    public TaskAwaiter<T> GetAwaiter() => Source.Task.GetAwaiter();
}

/// <summary>The builder of <see cref="CustomTask{T}"/>: works for class and struct state machines.</summary>
public struct CustomTaskBuilder<T>
{
    CustomTask<T>? task;
    IAsyncStateMachine? boxed;

    public static CustomTaskBuilder<T> Create() => new() { task = new CustomTask<T>() };

    public CustomTask<T> Task => task!;

    public void Start<TStateMachine>(ref TStateMachine stateMachine)
        where TStateMachine : IAsyncStateMachine => stateMachine.MoveNext();

    public void SetStateMachine(IAsyncStateMachine stateMachine) => boxed = stateMachine;

    public void SetResult(T result) => task!.Source.SetResult(result);

    public void SetException(Exception exception) => task!.Source.SetException(exception);

    public void AwaitOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : INotifyCompletion
        where TStateMachine : IAsyncStateMachine =>
        awaiter.OnCompleted(Box(ref stateMachine).MoveNext);

    public void AwaitUnsafeOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : ICriticalNotifyCompletion
        where TStateMachine : IAsyncStateMachine =>
        awaiter.UnsafeOnCompleted(Box(ref stateMachine).MoveNext);

    IAsyncStateMachine Box<TStateMachine>(ref TStateMachine stateMachine)
        where TStateMachine : IAsyncStateMachine
    {
        if (boxed == null)
        {
            IAsyncStateMachine box = stateMachine;
            boxed = box;
            box.SetStateMachine(box);
        }

        return boxed;
    }
}

/// <summary>A task-like type whose builder is a class (its methods are called with <c>callvirt</c>).</summary>
[AsyncMethodBuilder(typeof(ClassTaskBuilder<>))]
public sealed class ClassBuilderTask<T>
{
    internal readonly TaskCompletionSource<T> Source = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The operation as a task.</summary>
    public Task<T> AsTask() => Source.Task;

    /// <summary>Makes the type awaitable.</summary>
    public TaskAwaiter<T> GetAwaiter() => Source.Task.GetAwaiter();
}

/// <summary>The class builder of <see cref="ClassBuilderTask{T}"/>.</summary>
public sealed class ClassTaskBuilder<T>
{
    readonly ClassBuilderTask<T> task = new();
    IAsyncStateMachine? boxed;

    public static ClassTaskBuilder<T> Create() => new();

    public ClassBuilderTask<T> Task => task;

    public void Start<TStateMachine>(ref TStateMachine stateMachine)
        where TStateMachine : IAsyncStateMachine => stateMachine.MoveNext();

    public void SetStateMachine(IAsyncStateMachine stateMachine) => boxed = stateMachine;

    public void SetResult(T result) => task.Source.SetResult(result);

    public void SetException(Exception exception) => task.Source.SetException(exception);

    public void AwaitOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : INotifyCompletion
        where TStateMachine : IAsyncStateMachine =>
        awaiter.OnCompleted(Box(ref stateMachine).MoveNext);

    public void AwaitUnsafeOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : ICriticalNotifyCompletion
        where TStateMachine : IAsyncStateMachine =>
        awaiter.UnsafeOnCompleted(Box(ref stateMachine).MoveNext);

    IAsyncStateMachine Box<TStateMachine>(ref TStateMachine stateMachine)
        where TStateMachine : IAsyncStateMachine
    {
        if (boxed == null)
        {
            IAsyncStateMachine box = stateMachine;
            boxed = box;
            box.SetStateMachine(box);
        }

        return boxed;
    }
}
