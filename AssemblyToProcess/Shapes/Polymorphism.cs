using System;
using SysdigTracers;

namespace AssemblyToProcess.Shapes;

/// <summary>Virtual, override, explicit interface implementations, operators, conversions.</summary>
public abstract class Shape
{
    public abstract double Area();

    [Traced(ReturnValue = true)]
    public virtual string Describe() => "shape of area " + Area().ToString(System.Globalization.CultureInfo.InvariantCulture);
}

[Traced(Arguments = true, ReturnValue = true)]
public sealed class Square : Shape, IComparable<Square>, IDisposable
{
    public Square(int side) => Side = side;

    public int Side { get; }

    public bool Disposed { get; private set; }

    public override double Area() => Side * Side;

    public override string Describe() => "square: " + base.Describe();

    int IComparable<Square>.CompareTo(Square? other) => Side.CompareTo(other?.Side ?? 0);

    void IDisposable.Dispose() => Disposed = true;

    public static Square operator +(Square a, Square b) => new Square(a.Side + b.Side);

    public static explicit operator int(Square square) => square.Side;
}

/// <summary>Extension methods.</summary>
[Traced(Arguments = true, ReturnValue = true)]
public static class Extensions
{
    public static int Doubled(this int value) => value * 2;

    public static string Shout(this string text) => text.ToUpperInvariant() + "!";
}
