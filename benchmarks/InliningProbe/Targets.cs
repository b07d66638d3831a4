using System.Runtime.CompilerServices;
using SysdigTracers;

namespace InliningProbe;

/// <summary>The methods measured, unwoven. <see cref="Woven"/> has the same bodies.</summary>
public sealed class Plain
{
    readonly int x = 3;
    readonly string name = "order-17";
    int total;

    public int Getter() => x + 1;

    public int Call() => Helper.Twice(x) + 1;

    public int Length() => name.Length + x;

    public int TwoArgs(int a, int b) => Helper.Twice(a) + b;

    public void Void(int v) => total += Helper.Twice(v);

    public int Return(int a) => Helper.Twice(a) + x;
}

/// <summary>The same bodies as <see cref="Plain"/>, woven.</summary>
[Traced]
public sealed class Woven
{
    readonly int x = 3;
    readonly string name = "order-17";
    int total;

    public int Getter() => x + 1;

    public int Call() => Helper.Twice(x) + 1;

    public int Length() => name.Length + x;

    [Traced(Arguments = true)]
    public int TwoArgs(int a, int b) => Helper.Twice(a) + b;

    public void Void(int v) => total += Helper.Twice(v);

    [Traced(Arguments = true, ReturnValue = true)]
    public int Return(int a) => Helper.Twice(a) + x;
}

/// <summary>The call the non-trivial bodies make; never inlined, so that it stays a call in every shape.</summary>
public static class Helper
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int Twice(int v) => v * 2;
}
