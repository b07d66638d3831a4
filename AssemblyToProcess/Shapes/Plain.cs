using System;
using SysdigTracers;

namespace AssemblyToProcess.Shapes;

/// <summary>Static and instance methods, void and non-void, with and without arguments.</summary>
public class Plain
{
    int counter;

    [Traced(Arguments = true, ReturnValue = true)]
    public static int Add(int a, int b) => a + b;

    [Traced(Arguments = true, ReturnValue = true)]
    public static string Describe(int count, string? name, double ratio, DayOfWeek day) =>
        count + " " + (name ?? "nobody") + " " + ratio.ToString(System.Globalization.CultureInfo.InvariantCulture) + " " + day;

    [Traced(Arguments = true, ReturnValue = true)]
    public static long Sum(int a, long b, short c, byte d, int e) => a + b + c + d + e;

    [Traced]
    public static void DoNothing()
    {
    }

    [Traced(Arguments = true)]
    public static string Greet(string name, [NoTrace] string secret) => "hello " + name + secret.Length;

    [Traced(ReturnValue = true)]
    public int Increment()
    {
        counter++;
        return counter;
    }

    [Traced]
    public static int Throws(int value)
    {
        if (value > 0)
        {
            throw new InvalidOperationException("positive: " + value);
        }

        return value;
    }

    public static int NotTraced(int value) => value * 3;
}
