using System.ComponentModel;
using System.Diagnostics;
using SysdigTracers.Internal;

namespace SysdigTracers.Infrastructure;

/// <summary>
/// Infrastructure for code woven by SysdigTracers.Fody: what the methods of one woven assembly share, its
/// <see cref="ActivitySource"/>, whether their enter tracers carry the trace context, and their ceiling on spans per
/// second. One instance per woven assembly, created with the assembly's first traced call.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class TracedAssembly
{
    /// <summary>Creates the source of a woven assembly.</summary>
    /// <param name="sourceName">The <see cref="ActivitySource"/> name: the assembly name unless FodyWeavers.xml renames it.</param>
    /// <param name="version">The assembly version, given to the source.</param>
    /// <param name="traceContext">
    /// Whether enter tracers of methods that have an Activity carry its trace and span ids (FodyWeavers.xml
    /// <c>TraceContext</c>); the environment variable <c>SYSDIG_TRACERS_TRACE_CONTEXT</c>, when set, decides instead.
    /// </param>
    /// <param name="maxSpansPerSecond">
    /// The most spans each woven method of the assembly starts per second, 0 for no ceiling (FodyWeavers.xml
    /// <c>MaxSpansPerSecond</c>); the environment variable <c>SYSDIG_TRACERS_MAX_SPANS_PER_SECOND</c>, when set,
    /// decides instead.
    /// </param>
    public TracedAssembly(string sourceName, string? version, bool traceContext, int maxSpansPerSecond)
    {
        Source = new ActivitySource(sourceName, version);
        TraceContext = Settings.TraceContext ?? traceContext;
        MaxSpansPerSecond = Settings.MaxSpansPerSecond ?? maxSpansPerSecond;
    }

    /// <summary>The source every woven method of the assembly starts its Activities from.</summary>
    public ActivitySource Source { get; }

    /// <summary>Whether enter tracers carry the W3C trace id and span id of the method's Activity.</summary>
    public bool TraceContext { get; }

    /// <summary>The most spans each woven method of the assembly starts per second, or 0 for no ceiling.</summary>
    public int MaxSpansPerSecond { get; }
}
