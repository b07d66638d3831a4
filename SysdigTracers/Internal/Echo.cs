namespace SysdigTracers.Internal;

/// <summary>
/// The optional copy of every tracer, one per line, selected by <c>SYSDIG_TRACERS_ECHO</c> (see <see cref="LineTarget"/>
/// for the targets and why every line stays whole).
/// </summary>
internal static unsafe class Echo
{
    internal const string EnvironmentVariable = "SYSDIG_TRACERS_ECHO";

    private static readonly LineTarget Target = Create();

    internal static bool IsOn => Target.IsOn;

    /// <summary>Writes <c>tracer + '\n'</c> in one call; <paramref name="tracer"/> must have room for the newline.</summary>
    internal static void Write(byte* tracer, int length)
    {
        tracer[length] = (byte)'\n';
        Target.WriteLine(tracer, length + 1);
    }

    /// <summary>Selects the echo target; <see langword="null"/> or empty turns it off. Internal so tests can switch it.</summary>
    internal static void Configure(string? target) => Target.Configure(target);

    private static LineTarget Create()
    {
        var target = new LineTarget(header: null);
        target.Configure(Settings.Read(EnvironmentVariable));
        return target;
    }
}
