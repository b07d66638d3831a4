using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading;

// Which shapes of a small method the JIT inlines into a loop, and what each costs per call (docs/inlining.md).
// `on` as the first argument measures the shapes with the tracer calls made.
Switch.On = args.Length > 0 && args[0] == "on";
var target = new Shapes();
const int Calls = 50_000_000;
(string Name, Func<Shapes, int, long> Loop)[] cases =
{
    ("Plain", Loops.LPlain), ("TryFinally", Loops.LTryFinally), ("TryCatch", Loops.LTryCatch),
    ("TryFilter", Loops.LTryFilter), ("Woven", Loops.LWoven), ("FlagFinally", Loops.LFlagFinally),
    ("DupBody", Loops.LDupBody), ("ThrowHelper", Loops.LThrowHelper),
};

// Enough calls for tiered compilation to reach Tier1 with profile data, then a pause for the background JIT.
for (var round = 0; round < 2; round++)
{
    foreach (var (_, loop) in cases)
    {
        for (var w = 0; w < 3000; w++)
        {
            loop(target, 100);
        }
    }

    Thread.Sleep(1000);
}

var best = new double[cases.Length];
Array.Fill(best, double.MaxValue);
for (var r = 0; r < 7; r++)
{
    for (var k = 0; k < cases.Length; k++)
    {
        var watch = Stopwatch.StartNew();
        cases[k].Loop(target, Calls);
        best[k] = Math.Min(best[k], watch.Elapsed.TotalMilliseconds * 1e6 / Calls);
    }
}

for (var k = 0; k < cases.Length; k++)
{
    Console.WriteLine($"{cases[k].Name,-12} {best[k],6:F3} ns/call  {best[k] / best[0],5:F2}x");
}

/// <summary>Stands in for the tracer calls and the tracing switch.</summary>
static class Switch
{
    public static bool On;
    public static int Count;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Hit() => Count++;
}

/// <summary>The same one-line body in each shape a woven method could take.</summary>
sealed class Shapes
{
    readonly int x = 3;

    public int Plain() => x + 1;

    public int TryFinally()
    {
        var on = Switch.On;
        if (on)
        {
            Switch.Hit();
        }

        try
        {
            return x + 1;
        }
        finally
        {
            if (on)
            {
                Switch.Hit();
            }
        }
    }

    public int TryCatch()
    {
        try
        {
            return x + 1;
        }
        catch (Exception)
        {
            throw;
        }
    }

    public int TryFilter()
    {
        try
        {
            return x + 1;
        }
        catch (Exception e) when (Record(e))
        {
            throw;
        }
    }

    public int Woven()
    {
        var on = Switch.On;
        if (on)
        {
            Switch.Hit();
        }

        try
        {
            try
            {
                return x + 1;
            }
            catch (Exception e) when (Record(e))
            {
                throw;
            }
        }
        finally
        {
            if (on)
            {
                Switch.Hit();
            }
        }
    }

    public int FlagFinally()
    {
        var on = Switch.On;
        var returned = false;
        if (on)
        {
            Switch.Hit();
        }

        try
        {
            var result = x + 1;
            returned = true;
            return result;
        }
        finally
        {
            if (on && returned)
            {
                Switch.Hit();
            }
            else if (on)
            {
                Switch.Hit();
            }
        }
    }

    public int DupBody()
    {
        if (!Switch.On)
        {
            return x + 1;
        }

        return Woven();
    }

    public int ThrowHelper(int i)
    {
        if (i < 0)
        {
            Throw();
        }

        return x + i;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static void Throw() => throw new ArgumentException("negative");

    static bool Record(Exception e) => e == null;
}

/// <summary>One loop per shape, kept out of line so that only the callee's inlining varies.</summary>
static class Loops
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static long LPlain(Shapes c, int n)
    {
        long s = 0;
        for (var i = 0; i < n; i++)
        {
            s += c.Plain();
        }

        return s;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static long LTryFinally(Shapes c, int n)
    {
        long s = 0;
        for (var i = 0; i < n; i++)
        {
            s += c.TryFinally();
        }

        return s;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static long LTryCatch(Shapes c, int n)
    {
        long s = 0;
        for (var i = 0; i < n; i++)
        {
            s += c.TryCatch();
        }

        return s;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static long LTryFilter(Shapes c, int n)
    {
        long s = 0;
        for (var i = 0; i < n; i++)
        {
            s += c.TryFilter();
        }

        return s;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static long LWoven(Shapes c, int n)
    {
        long s = 0;
        for (var i = 0; i < n; i++)
        {
            s += c.Woven();
        }

        return s;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static long LFlagFinally(Shapes c, int n)
    {
        long s = 0;
        for (var i = 0; i < n; i++)
        {
            s += c.FlagFinally();
        }

        return s;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static long LDupBody(Shapes c, int n)
    {
        long s = 0;
        for (var i = 0; i < n; i++)
        {
            s += c.DupBody();
        }

        return s;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static long LThrowHelper(Shapes c, int n)
    {
        long s = 0;
        for (var i = 0; i < n; i++)
        {
            s += c.ThrowHelper(i);
        }

        return s;
    }
}
