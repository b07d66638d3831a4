using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using SysdigTracers;

namespace AssemblyToProcess.Shapes;

/// <summary>Expression-bodied members, properties, indexers, local functions and lambdas.</summary>
public class Members
{
    readonly Dictionary<string, int> values = new();
    int total;

    [Traced(Arguments = true, ReturnValue = true)]
    public int Twice(int x) => x * 2;

    [Traced(ReturnValue = true)]
    public int Total
    {
        get => total;
        set => total = value;
    }

    [Traced("members.counter")]
    public int Counter { get; set; }

    public int this[string key]
    {
        [Traced(Arguments = true, ReturnValue = true)]
        get => values.TryGetValue(key, out var v) ? v : -1;
        set => values[key] = value;
    }

    [Traced]
    public int WithLocalFunctions(int x)
    {
        return Traced(x) + NotTraced(x) + Capturing();

        [Traced(Arguments = true, ReturnValue = true)]
        static int Traced(int y) => y + 1;

        static int NotTraced(int y) => y + 2;

        [Traced]
        int Capturing() => x + total;
    }

    [Traced]
    public int WithLambdas(int x)
    {
        Func<int, int> plain = y => y * 10;
        Func<int, int> traced = [Traced(Arguments = true)] (y) => y + x;
        return plain(x) + traced(x);
    }

    [Traced]
    public async Task<int> AsyncMethod(int x)
    {
        await Task.Yield();
        return x;
    }

    [Traced]
    public IEnumerable<int> Iterator(int count)
    {
        for (var i = 0; i < count; i++)
        {
            yield return i;
        }
    }

    [Traced]
    public async IAsyncEnumerable<int> AsyncIterator(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await Task.Yield();
            yield return i;
        }
    }
}

/// <summary>[NoTrace] and custom tags at every level, nested types.</summary>
[Traced("catalog")]
public class Tagged
{
    public int Listed() => 1;

    [NoTrace]
    public int Hidden() => 2;

    [Traced("catalog.special.item")]
    public int Special() => 3;

    public class Nested
    {
        public int Deep() => 4;

        [NoTrace]
        public class Silent
        {
            public int Quiet() => 5;

            [Traced]
            public int Loud() => 6;
        }
    }
}

[Traced]
public class Outer
{
    public class Inner
    {
        public int Value() => 7;

        public record Data(int Number)
        {
            public int Twice() => Number * 2;
        }
    }

    public event EventHandler? Changed;

    public void Raise() => Changed?.Invoke(this, EventArgs.Empty);
}
