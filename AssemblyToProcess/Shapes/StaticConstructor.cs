using SysdigTracers;

namespace AssemblyToProcess.Shapes;

/// <summary>A traced static constructor (runs once per load of the assembly).</summary>
public static class StaticConstructor
{
    public static readonly int Value;

    [Traced]
    static StaticConstructor()
    {
        Value = 42;
    }

    public static int Read() => Value;
}
