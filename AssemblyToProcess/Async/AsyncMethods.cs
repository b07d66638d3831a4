using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using SysdigTracers;

namespace AssemblyToProcess.Async;

/// <summary>
/// Async method shapes. Every method that awaits something takes the task to await from the caller, so a test can
/// hold the operation open and check that no exit tracer is written before it completes.
/// </summary>
public static class AsyncMethods
{
    [Traced(Arguments = true, ReturnValue = true)]
    public static async Task<int> AddAsync(int a, int b, [NoTrace] Task gate)
    {
        await gate;
        return a + b;
    }

    [Traced]
    public static async Task WaitAsync(Task gate)
    {
        await gate;
    }

    [Traced(ReturnValue = true)]
    public static async ValueTask<string> ValueTaskAsync(Task<string> gate)
    {
        var text = await gate;
        return text + "!";
    }

    [Traced]
    public static async ValueTask ValueTaskVoidAsync(Task gate)
    {
        await gate;
    }

    [Traced(ReturnValue = true)]
    public static async CustomTask<int> CustomTaskAsync(Task<int> gate)
    {
        var value = await gate;
        if (value < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(gate), "negative");
        }

        return value * 10;
    }

    [Traced(ReturnValue = true)]
    public static async ClassBuilderTask<string> ClassBuilderAsync(Task<int> gate)
    {
        var value = await gate;
        if (value < 0)
        {
            throw new InvalidOperationException("negative");
        }

        return "value " + value;
    }

    [Traced]
    public static async void FireAndForget(Task gate, bool fail)
    {
        await gate;
        if (fail)
        {
            throw new InvalidOperationException("async void failed");
        }
    }

    [Traced(Arguments = true, ReturnValue = true)]
    public static async Task<int> CompletesSynchronously(int value)
    {
        await Task.CompletedTask;
        if (value < 0)
        {
            throw new ArgumentException("negative value", nameof(value));
        }

        return value * 2;
    }

    [Traced]
    public static async Task<int> ThrowsAfterAwait(Task gate)
    {
        await gate;
        throw new InvalidOperationException("thrown after await");
    }

    [Traced]
    public static async Task ThrowsBeforeAwait(Task gate)
    {
        if (gate != null)
        {
            throw new NotSupportedException("thrown before await");
        }

        await Task.Yield();
    }

    [Traced]
    public static async Task CancelledByToken(Task gate, CancellationToken token)
    {
        await gate;
        token.ThrowIfCancellationRequested();
    }

    [Traced]
    public static async Task CancelledDelay(CancellationToken token)
    {
        await Task.Delay(Timeout.Infinite, token);
    }

    [Traced]
    public static async Task<string> CaughtInside(Task gate)
    {
        try
        {
            await gate;
            throw new InvalidOperationException("caught");
        }
        catch (InvalidOperationException e)
        {
            return e.Message;
        }
        finally
        {
            await Task.Yield();
        }
    }

    [Traced(ReturnValue = true)]
    public static async Task<int> ConfigureAwaitFalse(Task<int> gate)
    {
        var value = await gate.ConfigureAwait(false);
        await Task.Delay(1).ConfigureAwait(false);
        return value + 1;
    }

    [Traced(ReturnValue = true)]
    public static async Task<int> Yields(int times)
    {
        var total = 0;
        for (var i = 0; i < times; i++)
        {
            await Task.Yield();
            total += i;
        }

        return total;
    }

    [Traced(Arguments = true, ReturnValue = true)]
    public static async Task<int> Recurse(int depth)
    {
        if (depth == 0)
        {
            await Task.Yield();
            return 0;
        }

        return 1 + await Recurse(depth - 1);
    }

    [Traced(ReturnValue = true)]
    public static async Task<int> Outer(Task gate)
    {
        var inner = await Inner(gate);
        return inner + 1;
    }

    [Traced(ReturnValue = true)]
    public static async Task<int> Inner(Task gate)
    {
        await gate;
        return 41;
    }

    [Traced(Arguments = true, ReturnValue = true)]
    public static async Task<T> EchoAsync<T>(T value, [NoTrace] Task gate)
    {
        await gate;
        return value;
    }

    [Traced(Arguments = true, ReturnValue = true)]
    public static async Task<KeyValuePair<TKey, TValue>> PairAsync<TKey, TValue>(TKey key, TValue value)
    {
        await Task.Yield();
        return new KeyValuePair<TKey, TValue>(key, value);
    }

    /// <summary>
    /// The parameters are not used after the first await, and <paramref name="unused"/> not at all (Release builds
    /// do not copy it into the state machine); the enter tracer still has both.
    /// </summary>
    [Traced(Arguments = true)]
    public static async Task<int> UnusedParameter(int used, string unused, [NoTrace] Task gate)
    {
        var copy = used;
        await gate;
        return copy;
    }

    /// <summary>An async lambda marked [Traced], returned as a delegate.</summary>
    public static Func<int, Task<int>> TracedLambda() => [Traced(Arguments = true, ReturnValue = true)] async (int x) =>
    {
        await Task.Yield();
        return x * 3;
    };

    /// <summary>An async local function marked [Traced]; the outer method is not traced.</summary>
    public static Task<int> CallsLocalFunction(int x)
    {
        return Local(x);

        [Traced(Arguments = true, ReturnValue = true)]
        static async Task<int> Local(int value)
        {
            await Task.Yield();
            return value + 100;
        }
    }

    /// <summary>Not traced: no tracers at all.</summary>
    public static async Task<int> NotTraced(Task gate)
    {
        await gate;
        return 5;
    }
}

/// <summary>Async methods of a generic type.</summary>
public class GenericHolder<T>
{
    readonly T stored;

    public GenericHolder(T stored) => this.stored = stored;

    [Traced(ReturnValue = true)]
    public async Task<T> GetAsync(Task gate)
    {
        await gate;
        return stored;
    }

    [Traced(ReturnValue = true)]
    public async Task<List<TOther>> CombineAsync<TOther>(TOther other)
    {
        await Task.Yield();
        return new List<TOther> { other, other };
    }

    public static Task<T> Get(T value, Task gate) => new GenericHolder<T>(value).GetAsync(gate);

    public static Task<List<T>> Combine(T value) => new GenericHolder<T>(value).CombineAsync(value);
}

/// <summary>An async method of a struct (the state machine copies <c>this</c>).</summary>
public struct StructHolder
{
    int value;

    public StructHolder(int value) => this.value = value;

    [Traced(ReturnValue = true)]
    public async Task<int> TimesAsync(int factor, Task gate)
    {
        await gate;
        return value * factor;
    }

    public static Task<int> Times(int value, int factor, Task gate) => new StructHolder(value).TimesAsync(factor, gate);
}
