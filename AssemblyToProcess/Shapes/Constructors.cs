using System;
using SysdigTracers;

namespace AssemblyToProcess.Shapes;

public class ConstructorBase
{
    public readonly int Seed;

    [Traced(Arguments = true)]
    public ConstructorBase(int seed) => Seed = seed;
}

/// <summary>Constructors chaining to base and to this, with field initialisers that run before the chaining call.</summary>
public class Constructors : ConstructorBase
{
    readonly int initialised = Compute(7);
    readonly string label;

    [Traced(Arguments = true)]
    public Constructors(int seed, string label) : base(seed > 0 ? seed * 2 : -seed)
    {
        this.label = label;
    }

    [Traced]
    public Constructors() : this(21, "default")
    {
        label += "!";
    }

    [Traced]
    public Constructors(string bad) : base(bad.Length)
    {
        label = bad;
        if (bad == "throw")
        {
            throw new ArgumentException("bad label", nameof(bad));
        }
    }

    public string Describe() => $"{Seed}/{initialised}/{label}";

    static int Compute(int x) => x * 6;
}

/// <summary>A constructor whose base call takes a lambda and a switch expression.</summary>
public class ConstructorWithComplexBaseCall : ConstructorBase
{
    [Traced]
    public ConstructorWithComplexBaseCall(string kind)
        : base(kind switch { "one" => 1, "two" => 2, _ => new Func<int>(() => kind.Length)() })
    {
    }
}
