using System;
using System.ComponentModel;
using System.Diagnostics;
using SysdigTracers.Internal;

namespace SysdigTracers.Infrastructure;

/// <summary>
/// Infrastructure for code woven by SysdigTracers.Fody: what the methods of one woven assembly share, its
/// <see cref="ActivitySource"/>, whether their enter tracers carry the trace context, each method's ceiling on spans
/// per second and the ceiling of all of them together. One instance per woven assembly, created with the assembly's
/// first traced call.
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
    /// <remarks>
    /// The constructor assemblies woven before <c>MaxAssemblySpansPerSecond</c> existed call: they get its default,
    /// <see cref="DefaultMaxAssemblySpansPerSecond"/>.
    /// </remarks>
    public TracedAssembly(string sourceName, string? version, bool traceContext, int maxSpansPerSecond)
        : this(sourceName, version, traceContext, maxSpansPerSecond, DefaultMaxAssemblySpansPerSecond)
    {
    }

    /// <summary>Creates the source of a woven assembly, with its ceiling on spans per second of all its methods together.</summary>
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
    /// <param name="maxAssemblySpansPerSecond">
    /// The most spans all woven methods of the assembly together start per second, 0 for no ceiling (FodyWeavers.xml
    /// <c>MaxAssemblySpansPerSecond</c>); the environment variable <c>SYSDIG_TRACERS_MAX_ASSEMBLY_SPANS_PER_SECOND</c>,
    /// when set, decides instead.
    /// </param>
    public TracedAssembly(string sourceName, string? version, bool traceContext, int maxSpansPerSecond, int maxAssemblySpansPerSecond)
    {
        Source = new ActivitySource(sourceName, version);
        TraceContext = Settings.TraceContext ?? traceContext;
        MaxSpansPerSecond = Math.Max(0, Settings.MaxSpansPerSecond ?? maxSpansPerSecond);
        MaxAssemblySpansPerSecond = Math.Max(0, Settings.MaxAssemblySpansPerSecond ?? maxAssemblySpansPerSecond);
        Budget = MaxAssemblySpansPerSecond > 0 ? new SpanBudget(MaxAssemblySpansPerSecond) : null;
    }

    /// <summary>
    /// The ceiling on spans per second of all woven methods of an assembly together when FodyWeavers.xml does not
    /// set <c>MaxAssemblySpansPerSecond</c>: at one to a few microseconds per span (two <c>write(2)</c> calls), it
    /// keeps tracing to a few percent of one core however many small calls the assembly makes.
    /// </summary>
    public const int DefaultMaxAssemblySpansPerSecond = 10000;

    /// <summary>The source every woven method of the assembly starts its Activities from.</summary>
    public ActivitySource Source { get; }

    /// <summary>Whether enter tracers carry the W3C trace id and span id of the method's Activity.</summary>
    public bool TraceContext { get; }

    /// <summary>The most spans each woven method of the assembly starts per second, or 0 for no ceiling.</summary>
    public int MaxSpansPerSecond { get; }

    /// <summary>The most spans all woven methods of the assembly together start per second, or 0 for no ceiling.</summary>
    public int MaxAssemblySpansPerSecond { get; }

    /// <summary>The budget of <see cref="MaxAssemblySpansPerSecond"/>, or null without a ceiling.</summary>
    internal SpanBudget? Budget { get; }
}
