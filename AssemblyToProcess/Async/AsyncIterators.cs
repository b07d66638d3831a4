using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using SysdigTracers;

namespace AssemblyToProcess.Async;

/// <summary>Async iterator shapes (<c>IAsyncEnumerable&lt;T&gt;</c>).</summary>
public static class AsyncIterators
{
    [Traced(Arguments = true)]
    public static async IAsyncEnumerable<int> CountAsync(int count, [NoTrace] Task gate)
    {
        for (var i = 0; i < count; i++)
        {
            await gate;
            yield return i;
        }
    }

    [Traced]
    public static async IAsyncEnumerable<string> WithFinally(List<string> log, Task gate)
    {
        try
        {
            log.Add("body");
            yield return "a";
            await gate;
            yield return "b";
        }
        finally
        {
            await Task.Yield();
            log.Add("finally");
        }
    }

    /// <summary>A <c>finally</c> block that throws: from <c>DisposeAsync</c> after an early break, or at the end.</summary>
    [Traced]
    public static async IAsyncEnumerable<int> FinallyThrows(List<string> log, Task gate)
    {
        try
        {
            yield return 1;
            await gate;
            yield return 2;
        }
        finally
        {
            log.Add("finally");
            throw new InvalidOperationException("cleanup failed");
        }
    }

    [Traced]
    public static async IAsyncEnumerable<int> ThrowsAfter(int count, Task gate)
    {
        for (var i = 0; i < count; i++)
        {
            yield return i;
        }

        await gate;
        throw new InvalidOperationException("async iterator failed after " + count);
    }

    [Traced]
    public static async IAsyncEnumerable<int> Cancellable(Task gate, [EnumeratorCancellation] CancellationToken token = default)
    {
        yield return 1;
        await gate;
        token.ThrowIfCancellationRequested();
        yield return 2;
    }

    [Traced]
    public static async IAsyncEnumerable<int> CompletesSynchronously()
    {
        await Task.CompletedTask;
        yield return 1;
        yield return 2;
    }

    [Traced(Arguments = true)]
    public static async IAsyncEnumerable<T> RepeatAsync<T>(T value, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await Task.Yield();
            yield return value;
        }
    }

    /// <summary><paramref name="unused"/> is not used by the body: Release builds do not copy it into the iterator.</summary>
    [Traced(Arguments = true)]
    public static async IAsyncEnumerable<int> UnusedParameter(int count, string unused)
    {
        for (var i = 0; i < count; i++)
        {
            await Task.Yield();
            yield return i;
        }
    }

    /// <summary>Calls a traced method from its body after an <c>await</c>, between two <c>yield return</c>s.</summary>
    [Traced]
    public static async IAsyncEnumerable<int> SquaresAsync(int count)
    {
        for (var i = 1; i <= count; i++)
        {
            await Task.Yield();
            yield return Iterators.Square(i);
        }
    }

    [Traced]
    public static async IAsyncEnumerator<int> EnumeratorAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await Task.Yield();
            yield return i;
        }
    }
}
