using SysdigTracers.Internal;

namespace SysdigTracers;

/// <summary>Manual spans and the global switch of SysdigTracers.</summary>
/// <example>
/// <code>
/// using (var span = Tracer.Start("orders.place"))
/// {
///     using (span.Child("db")) { /* tags orders.place.db, same id */ }
///     span.Arg("status", "ok");   // written with the exit tracer
/// }
/// </code>
/// </example>
public static class Tracer
{
    /// <summary>
    /// The name of the <see cref="System.Diagnostics.ActivitySource"/> of manual spans: pass it to
    /// <c>AddSource</c> to receive them as Activities. Woven methods use their own assembly's source instead.
    /// </summary>
    public const string ActivitySourceName = "SysdigTracers";

    private static bool s_enabled = Settings.ParseEnabled(Settings.Read(Settings.EnabledVariable));

    /// <summary>
    /// Whether tracers are written. Initialised from the environment variable <c>SYSDIG_TRACERS</c>
    /// (<c>0</c>, <c>false</c> or <c>off</c> disable); woven methods pay one branch when it is off.
    /// </summary>
    public static bool Enabled
    {
        get => s_enabled;
        set => s_enabled = value;
    }

    private static bool s_traceContext = Settings.TraceContext ?? false;

    /// <summary>
    /// Whether the enter tracer of a manual span that has an Activity carries its W3C ids as the first arguments,
    /// <c>trace_id</c> and <c>span_id</c>, as woven methods do with <c>TraceContext</c> in FodyWeavers.xml.
    /// Initialised from the environment variable <c>SYSDIG_TRACERS_TRACE_CONTEXT</c> (off when unset); read when a
    /// span begins.
    /// </summary>
    public static bool TraceContext
    {
        get => s_traceContext;
        set => s_traceContext = value;
    }

    /// <summary>
    /// How many calls of woven methods were not traced, since the process started, because their method had reached
    /// its ceiling on spans per second (<c>MaxSpansPerSecond</c> in FodyWeavers.xml, or the environment variable
    /// <c>SYSDIG_TRACERS_MAX_SPANS_PER_SECOND</c>) or their assembly the ceiling of all its methods together
    /// (<c>MaxAssemblySpansPerSecond</c>, or <c>SYSDIG_TRACERS_MAX_ASSEMBLY_SPANS_PER_SECOND</c>). A skipped call
    /// writes neither its enter nor its exit tracer and starts no Activity. Exact and current: it includes the calls
    /// refused in the second under way.
    /// </summary>
    public static long SkippedSpans => SpanBudget.Skipped;

    /// <summary>Returns a fresh span id: positive, unique in this process, usable across threads.</summary>
    /// <returns>The new id.</returns>
    public static long NewSpanId() => SpanIds.Next();

    /// <summary>Starts a span with id <c>t</c> (the writing thread) and writes its enter tracer.</summary>
    /// <param name="tag">Dotted tags, most general first, for example <c>orders.place</c>.</param>
    /// <returns>The span; dispose it (<c>using var span = ...</c>) to write the exit tracer.</returns>
    /// <example><code>using var span = Tracer.Start("orders.place");</code></example>
    public static TracerSpan Start(string tag) => Begin(tag, default).Start();

    /// <summary>Starts a span with the given id and writes its enter tracer.</summary>
    /// <param name="tag">Dotted tags, most general first, for example <c>orders.place</c>.</param>
    /// <param name="id">The span id: <see cref="SpanId.Thread"/>, <see cref="SpanId.Process"/>,
    /// <see cref="SpanId.New"/> (for code that may change threads) or <see cref="SpanId.FromNumber"/>.</param>
    /// <returns>The span; dispose it to write the exit tracer.</returns>
    public static TracerSpan Start(string tag, SpanId id) => Begin(tag, id).Start();

    /// <summary>Prepares a span with id <c>t</c> to which enter arguments can be added before it starts.</summary>
    /// <param name="tag">Dotted tags, most general first.</param>
    /// <returns>The builder; add arguments with <see cref="TracerSpanBuilder.Arg{T}"/>, then call <see cref="TracerSpanBuilder.Start"/>.</returns>
    public static TracerSpanBuilder Begin(string tag) => Begin(tag, default);

    /// <summary>Prepares a span with the given id to which enter arguments can be added before it starts.</summary>
    /// <param name="tag">Dotted tags, most general first.</param>
    /// <param name="id">The span id.</param>
    /// <returns>The builder; add arguments with <see cref="TracerSpanBuilder.Arg{T}"/>, then call <see cref="TracerSpanBuilder.Start"/>.</returns>
    public static TracerSpanBuilder Begin(string tag, SpanId id)
    {
        bool writes = s_enabled;
        bool listened = ActivityRecorder.ManualSource.HasListeners();
        if (!writes && !listened)
        {
            return default;
        }

        SpanState state = SpanState.Rent();
        state.InitRoot(tag, id.Value, writes, listened);
        return new TracerSpanBuilder(state, state.Version);
    }
}
