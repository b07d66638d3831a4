using System;
using SysdigTracers;

namespace AssemblyToProcess.Shapes;

/// <summary>unsafe code, stackalloc, pointer and span parameters (pointers and spans are not formatted).</summary>
[Traced(Arguments = true, ReturnValue = true)]
public static unsafe class UnsafeCode
{
    public static int SumFirst(int count)
    {
        int* values = stackalloc int[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = i + 1;
        }

        return Sum(values, count);
    }

    public static int Sum(int* values, int count)
    {
        var total = 0;
        for (var i = 0; i < count; i++)
        {
            total += values[i];
        }

        return total;
    }

    public static int SpanSum(ReadOnlySpan<int> values, int bonus)
    {
        var total = bonus;
        foreach (var value in values)
        {
            total += value;
        }

        return total;
    }

    public static Span<byte> Slice(byte[] data, int start) => data.AsSpan(start);

    public static int SliceLength(int start)
    {
        Span<int> local = stackalloc int[8];
        local[start] = start;
        return Slice(new byte[10], start).Length + local[start];
    }

    [System.Runtime.CompilerServices.SkipLocalsInit]
    public static int NoLocalsInit(int count)
    {
        Span<byte> buffer = stackalloc byte[count];
        buffer.Fill(1);
        return buffer.Length;
    }
}
