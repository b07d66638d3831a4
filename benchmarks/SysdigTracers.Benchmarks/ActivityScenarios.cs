using System.Diagnostics;
using System.Runtime.CompilerServices;
using SysdigTracers.Infrastructure;

namespace SysdigTracers.Benchmarks;

/// <summary>
/// The Activity bridge: woven-shaped methods as SysdigTracers.Fody emits them (<c>Start(out on)</c>, which reads
/// <see cref="Tracer.Enabled"/> once and decides the span budget, or that and <c>StartActivity(ref on)</c> before enter
/// arguments; <c>End</c> in the <c>finally</c>; without the exception filter, which costs nothing when nothing is thrown),
/// on a source nobody listens to and on one a listener samples completely, and the hand-written
/// <c>using var a = source.StartActivity(...)</c> they are compared with.
/// </summary>
public static partial class Scenarios
{
    public const string ListenedSource = "Bench.Listened";

    // Without ceilings, so that every span of the rows that write is written.
    private static readonly TracedAssembly Quiet = new("Bench.Quiet", "1.0.0.0", traceContext: false, maxSpansPerSecond: 0, maxAssemblySpansPerSecond: 0);
    private static readonly TracedAssembly Listened = new(ListenedSource, "1.0.0.0", traceContext: false, maxSpansPerSecond: 0, maxAssemblySpansPerSecond: 0);

    // Ceilings no benchmark reaches, per method and per assembly: every call that writes pays the budget's decrement,
    // none is refused.
    private static readonly TracedAssembly Ceiling = new("Bench.Ceiling", "1.0.0.0", traceContext: false, maxSpansPerSecond: int.MaxValue, maxAssemblySpansPerSecond: 0);
    private static readonly MethodTracer CeilingNoArgs = Woven("Bench.NoArgs", null, Ceiling);
    private static readonly TracedAssembly AssemblyCeiling = new("Bench.AssemblyCeiling", "1.0.0.0", traceContext: false, maxSpansPerSecond: 0, maxAssemblySpansPerSecond: int.MaxValue);
    private static readonly MethodTracer AssemblyCeilingNoArgs = Woven("Bench.NoArgs", null, AssemblyCeiling);

    // An assembly ceiling of 1 span per second: every call but one a second is refused.
    private static readonly TracedAssembly Saturated = new("Bench.Saturated", "1.0.0.0", traceContext: false, maxSpansPerSecond: 0, maxAssemblySpansPerSecond: 1);
    private static readonly MethodTracer SaturatedNoArgs = Woven("Bench.NoArgs", null, Saturated);
    private static readonly MethodTracer QuietNoArgs = Woven("Bench.NoArgs", null, Quiet);
    private static readonly MethodTracer QuietTwoArgs = Woven("Bench.TwoArgs", new[] { "id", "name" }, Quiet);
    private static readonly MethodTracer ListenedNoArgs = Woven("Bench.NoArgs", null, Listened);
    private static readonly MethodTracer ListenedTwoArgs = Woven("Bench.TwoArgs", new[] { "id", "name" }, Listened);
    private static readonly MethodTracer BareNoArgs = new("Bench.NoArgs", null, Listened, "Bench.NoArgs", null, null, 0, callToString: false);
    private static readonly MethodTracer BareTwoArgs = new("Bench.TwoArgs", new[] { "id", "name" }, Listened, "Bench.TwoArgs", null, null, 0, callToString: false);
    private static readonly ActivitySource HandSource = new(ListenedSource, "1.0.0.0");
    private static readonly object Line = 12L;
    private static ActivityListener? s_listener;

    /// <summary>A listener that samples everything from <see cref="ListenedSource"/> (and only from it).</summary>
    public static void Listen()
    {
        s_listener ??= new ActivityListener
        {
            ShouldListenTo = source => source.Name == ListenedSource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(s_listener);
    }

    /// <summary>Woven, no arguments, nobody listening.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void BridgeNoArgs() => WovenNoArgs(QuietNoArgs);

    /// <summary>Woven, no arguments, nobody listening, under a ceiling on spans per second that it never reaches.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void BudgetedNoArgs() => WovenNoArgs(CeilingNoArgs);

    /// <summary>Woven, no arguments, nobody listening, under an assembly ceiling that it never reaches.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void AssemblyBudgetedNoArgs() => WovenNoArgs(AssemblyCeilingNoArgs);

    /// <summary>Woven, no arguments, nobody listening, its assembly's ceiling reached: the call is refused.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void RefusedNoArgs() => WovenNoArgs(SaturatedNoArgs);

    /// <summary>Only the decision of a call that would write, without a ceiling.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool DecideWithoutCeiling() => Decide(QuietNoArgs);

    /// <summary>Only the decision of a call that would write, under an assembly ceiling it never reaches.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool DecideUnderCeiling() => Decide(AssemblyCeilingNoArgs);

    /// <summary>Only the decision of a call that would write, its assembly's ceiling reached: refused.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool DecideRefused() => Decide(SaturatedNoArgs);

    /// <summary>Woven, two arguments, nobody listening.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void BridgeTwoArgs(int id, string name) => WovenTwoArgs(QuietTwoArgs, id, name);

    /// <summary>Woven, no arguments, a listener sampling everything.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ListenedWovenNoArgs() => WovenNoArgs(ListenedNoArgs);

    /// <summary>Woven, two arguments, a listener sampling everything.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ListenedWovenTwoArgs(int id, string name) => WovenTwoArgs(ListenedTwoArgs, id, name);

    /// <summary>Woven with <c>CodeAttributes="false"</c>, no arguments, a listener sampling everything.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ListenedBareNoArgs() => WovenNoArgs(BareNoArgs);

    /// <summary>Woven with <c>CodeAttributes="false"</c>, two arguments, a listener sampling everything.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ListenedBareTwoArgs(int id, string name) => WovenTwoArgs(BareTwoArgs, id, name);

    /// <summary>The hand-written span the woven one is held to.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void HandWritten()
    {
        using var activity = HandSource.StartActivity("Bench.NoArgs");
        Body();
    }

    /// <summary>The hand-written span with the code attributes a woven method adds.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void HandWrittenWithCodeTags()
    {
        using var activity = HandSource.StartActivity("Bench.NoArgs");
        activity?.SetTag("code.function.name", "Bench.NoArgs");
        activity?.SetTag("code.file.path", "Bench.cs");
        activity?.SetTag("code.line.number", Line);
        Body();
    }

    /// <summary>The hand-written span with the two arguments as tags.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void HandWrittenTwoArgs(int id, string name)
    {
        using var activity = HandSource.StartActivity("Bench.TwoArgs");
        activity?.SetTag("id", id);
        activity?.SetTag("name", name);
        Body();
    }

    /// <summary>The hand-written span with the two arguments and the code attributes a woven method adds.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void HandWrittenTwoArgsWithCodeTags(int id, string name)
    {
        using var activity = HandSource.StartActivity("Bench.TwoArgs");
        activity?.SetTag("code.function.name", "Bench.TwoArgs");
        activity?.SetTag("code.file.path", "Bench.cs");
        activity?.SetTag("code.line.number", Line);
        activity?.SetTag("id", id);
        activity?.SetTag("name", name);
        Body();
    }

    /// <summary>
    /// Both sinks by hand: the hand-written span with the code attributes around the two plain <c>write(2)</c> calls
    /// of the floor, the control for the woven method with both sinks on.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void HandWrittenBothSinks()
    {
        using var activity = HandSource.StartActivity("Bench.NoArgs");
        activity?.SetTag("code.function.name", "Bench.NoArgs");
        activity?.SetTag("code.file.path", "Bench.cs");
        activity?.SetTag("code.line.number", Line);
        FloorEnter();
        Body();
        FloorExit();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WovenNoArgs(MethodTracer tracer)
    {
        object? activity = tracer.Start(out bool traced);
        try
        {
            Body();
        }
        finally
        {
            tracer.End(traced, activity, null);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WovenTwoArgs(MethodTracer tracer, int id, string name)
    {
        bool traced = Tracer.Enabled;
        object? activity = tracer.StartActivity(ref traced);
        if (traced || activity != null)
        {
            TracerArgs args = tracer.BeginEnter(0, traced, activity);
            args.Add(id);
            args.Add(name);
            args.Write();
        }

        try
        {
            Body();
        }
        finally
        {
            tracer.End(traced, activity, null);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Decide(MethodTracer tracer)
    {
        bool traced = true;
        return tracer.StartActivity(ref traced) == null && traced;
    }

    private static MethodTracer Woven(string tag, string[]? names, TracedAssembly assembly) =>
        new(tag, names, assembly, tag, tag, "Bench.cs", 12, callToString: false);
}
