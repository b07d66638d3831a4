using System;
using SysdigTracers;

namespace AssemblyToProcess.Shapes;

public readonly struct Money
{
    public readonly long Cents;

    public Money(long cents) => Cents = cents;

    public override string ToString() => Cents.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>ref, out and in parameters, ref and ref readonly returns.</summary>
[Traced(Arguments = true, ReturnValue = true)]
public class RefParameters
{
    readonly int[] numbers = { 1, 2, 3 };

    public static void Swap(ref int a, ref int b) => (a, b) = (b, a);

    public static bool TryHalve(int value, out int half)
    {
        if (value % 2 != 0)
        {
            half = 0;
            return false;
        }

        half = value / 2;
        return true;
    }

    public static long Total(in Money money, ref readonly Money more) => money.Cents + more.Cents;

    public static void Rename<T>(ref T target, T value) => target = value;

    public ref int Slot(int index) => ref numbers[index];

    public ref readonly int ReadOnlySlot(int index) => ref numbers[index];

    public ref int MissingSlot(int index)
    {
        if (index >= numbers.Length)
        {
            throw new IndexOutOfRangeException("no slot " + index);
        }

        return ref numbers[index];
    }

    public int Sum() => numbers[0] + numbers[1] + numbers[2];
}
