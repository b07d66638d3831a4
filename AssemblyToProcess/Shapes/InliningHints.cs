using System;
using System.Runtime.CompilerServices;
using SysdigTracers;

namespace AssemblyToProcess.Shapes;

/// <summary>Methods marked for aggressive inlining, small and large once woven, one of them ending in an exception.</summary>
public static class InliningHints
{
    [Traced]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Small(int value) => Math.Abs(value) + 1;

    [Traced(Arguments = true, ReturnValue = true)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Large(int a, int b, int c)
    {
        if (a < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(a), a, "negative");
        }

        if (b > 1000 || c > 1000)
        {
            throw new ArgumentOutOfRangeException(b > 1000 ? nameof(b) : nameof(c), Math.Max(b, c), "over 1000");
        }

        return Math.Max(a, b) * Math.Min(b, c) + Math.Abs(a - c);
    }
}
