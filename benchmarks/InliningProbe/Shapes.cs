using System;
using System.Runtime.CompilerServices;

namespace InliningProbe;

/// <summary>
/// Hand-written handler shapes around the same one-line body, to isolate what decides inlining: the JIT inlines a
/// method with a filter or a finally, not one with a typed catch, nor one containing the <c>rethrow</c> instruction.
/// </summary>
public sealed class Shapes
{
    readonly int x = 3;

    public int TryFinally()
    {
        try
        {
            return x + 1;
        }
        finally
        {
            if (Switch.On)
            {
                Switch.Hit();
            }
        }
    }

    public int FilterRethrow()
    {
        try
        {
            return x + 1;
        }
        catch (Exception e) when (Switch.Record(e))
        {
            throw;
        }
    }

    public int FilterThrow()
    {
        try
        {
            return x + 1;
        }
        catch (Exception e) when (Switch.Record(e))
        {
            // Never reached (the filter is false): `throw` where FilterRethrow has `rethrow`.
#pragma warning disable CA2200
            throw e;
#pragma warning restore CA2200
        }
    }

    public int Catch()
    {
        try
        {
            return x + 1;
        }
        catch (InvalidOperationException)
        {
            return 0;
        }
    }
}

/// <summary>Stands in for a tracer call in <see cref="Shapes"/>.</summary>
public static class Switch
{
    public static bool On;
    public static int Count;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Hit() => Count++;

    public static bool Record(Exception e) => e == null;
}
