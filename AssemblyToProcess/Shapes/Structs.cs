using System;
using SysdigTracers;

namespace AssemblyToProcess.Shapes;

public struct Inner
{
    public int Value;

    public Inner(int value) => Value = value;
}

/// <summary>Struct methods and constructors, including this(...) chaining and this = new(...) inside a body.</summary>
[Traced(Arguments = true, ReturnValue = true)]
public struct Point
{
    public int X;
    public int Y;
    public Inner Tag = new Inner(99);

    [Traced(Arguments = true)]
    public Point(int x, int y)
    {
        X = x;
        Y = y;
    }

    [Traced(Arguments = true)]
    public Point(int both) : this(both, both)
    {
        X += 1;
    }

    [Traced]
    public Point(string text)
    {
        var parts = text.Split(',');
        this = new Point(int.Parse(parts[0]), int.Parse(parts[1]));
        Tag = new Inner(parts.Length);
    }

    public int LengthSquared() => X * X + Y * Y;

    public Point Move(int dx, int dy)
    {
        X += dx;
        Y += dy;
        return this;
    }

    public readonly override string ToString() => $"({X},{Y},{Tag.Value})";
}
