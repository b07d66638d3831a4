using System.Linq;
using Mono.Cecil;

namespace SysdigTracers.Fody;

/// <summary>
/// The runtime members that woven code uses for Activities (<c>System.Diagnostics.Activity</c>), part of
/// <see cref="RuntimeReferences"/> and resolved from the <c>MethodTracer</c> it found. The runtime hands Activities
/// to woven code as <c>object</c>, so a woven module references no assembly it did not reference before but the
/// runtime.
/// </summary>
internal sealed class ActivityReferences
{
    const string TracedAssemblyName = "SysdigTracers.Infrastructure.TracedAssembly";

    /// <summary>Resolves the members next to the runtime's <c>MethodTracer</c> and imports them with <paramref name="importer"/>.</summary>
    public ActivityReferences(RuntimeImporter importer, TypeDefinition methodTracer)
    {
        var tracedAssembly = methodTracer.Module.GetType(TracedAssemblyName);
        var startActivity = methodTracer.Methods.Single(m => m.Name == "StartActivity" && !m.IsStatic && m.Parameters.Count == 1);
        ActivityType = importer.Type(startActivity.ReturnType); // object: the woven module gains no reference
        StartActivity = importer.Method(startActivity);
        MethodTracerConstructor = importer.Method(methodTracer.Methods.Single(m =>
            m.IsConstructor && !m.IsStatic && m.Parameters.Count == 8));
        TracedAssemblyType = importer.Type(tracedAssembly);
        TracedAssemblyConstructor = importer.Method(tracedAssembly.Methods.Single(m => m.IsConstructor && !m.IsStatic && m.Parameters.Count == 5));
        Start = importer.Method(Method(methodTracer, "Start", 1));
        End = importer.Method(Method(methodTracer, "End", 3));
        StartWithArguments = Enumerable.Range(1, MaxStartArguments)
            .Select(count => importer.Method(methodTracer.Methods.Single(m =>
                m.Name == "Start" && m.GenericParameters.Count == count && m.Parameters.Count == count + 1)))
            .ToArray();
        EndWithReturn = importer.Method(methodTracer.Methods.Single(m => m.Name == "End" && m.HasGenericParameters && m.Parameters.Count == 4));
        EndRedacted = importer.Method(Method(methodTracer, "EndRedacted", 3));
        Enter = importer.Method(Method(methodTracer, "Enter", 2));
        BeginEnter = importer.Method(Method(methodTracer, "BeginEnter", 3));
        ExitBoth = importer.Method(methodTracer.Methods.Single(m => m.Name == "Exit" && m.Parameters.Count == 4));
        ExitBothWithReturn = importer.Method(methodTracer.Methods.Single(m => m.Name == "ExitWithReturn" && m.Parameters.Count == 5));
        ExitRedacted = importer.Method(Method(methodTracer, "ExitRedacted", 4));
        Leave = importer.Method(Method(methodTracer, "Leave", 1));
        MakeCurrent = importer.Method(Method(methodTracer, "MakeCurrent", 1));
        Resume = importer.Method(Method(methodTracer, "Resume", 2));
        Suspend = importer.Method(Method(methodTracer, "Suspend", 3));
    }

    /// <summary>What woven code keeps an Activity in: <c>object</c> (see <c>MethodTracer.StartActivity</c>).</summary>
    public TypeReference ActivityType { get; }

    /// <summary><c>MethodTracer.StartActivity(ref bool write)</c>: decides the span under the method's budget.</summary>
    public MethodReference StartActivity { get; }

    /// <summary><c>MethodTracer(tag, argumentNames, assembly, spanName, functionName, filePath, lineNumber, callToString)</c>.</summary>
    public MethodReference MethodTracerConstructor { get; }

    /// <summary><c>SysdigTracers.Infrastructure.TracedAssembly</c>.</summary>
    public TypeReference TracedAssemblyType { get; }

    /// <summary>
    /// <c>TracedAssembly(string sourceName, string? version, bool traceContext, int maxSpansPerSecond, int maxAssemblySpansPerSecond)</c>.
    /// </summary>
    public MethodReference TracedAssemblyConstructor { get; }

    /// <summary><c>MethodTracer.Start(out bool write)</c>: the Activity, the switch and the enter tracer of a synchronous method without enter arguments.</summary>
    public MethodReference Start { get; }

    /// <summary><c>MethodTracer.End(bool write, Activity? activity, Exception? exception)</c>: both sinks' end of a synchronous method without a written value.</summary>
    public MethodReference End { get; }

    /// <summary>The most enter arguments a <c>MethodTracer.Start&lt;T1, ...&gt;</c> overload takes.</summary>
    public const int MaxStartArguments = 4;

    /// <summary>
    /// <c>MethodTracer.Start&lt;T1, ...&gt;(out bool write, T1 argument1, ...)</c>, open, indexed by the argument count minus
    /// one: <see cref="Start"/> with enter arguments.
    /// </summary>
    public MethodReference[] StartWithArguments { get; }

    /// <summary>
    /// <c>MethodTracer.End&lt;T&gt;(bool write, Activity? activity, Exception? exception, T returnValue)</c>, open: both sinks'
    /// end of a synchronous method whose return value is written.
    /// </summary>
    public MethodReference EndWithReturn { get; }

    /// <summary>
    /// <c>MethodTracer.EndRedacted(bool write, Activity? activity, Exception? exception)</c>: the end of a method whose
    /// return value is a secret, written as the runtime's redaction marker.
    /// </summary>
    public MethodReference EndRedacted { get; }

    /// <summary><c>MethodTracer.Enter(long spanId, Activity? activity)</c>.</summary>
    public MethodReference Enter { get; }

    /// <summary><c>MethodTracer.BeginEnter(long spanId, bool write, Activity? activity)</c>.</summary>
    public MethodReference BeginEnter { get; }

    /// <summary><c>MethodTracer.Exit(long spanId, bool write, Activity? activity, Exception? exception)</c>.</summary>
    public MethodReference ExitBoth { get; }

    /// <summary><c>MethodTracer.ExitWithReturn&lt;T&gt;(long spanId, bool write, Activity? activity, Exception? exception, T returnValue)</c>, open.</summary>
    public MethodReference ExitBothWithReturn { get; }

    /// <summary>
    /// <c>MethodTracer.ExitRedacted(long spanId, bool write, Activity? activity, Exception? exception)</c>: the end of an
    /// async method whose result is a secret, written as the runtime's redaction marker.
    /// </summary>
    public MethodReference ExitRedacted { get; }

    /// <summary>Static <c>MethodTracer.Leave(Activity? activity)</c>.</summary>
    public MethodReference Leave { get; }

    /// <summary>Static <c>MethodTracer.MakeCurrent(Activity? activity)</c>.</summary>
    public MethodReference MakeCurrent { get; }

    /// <summary>Static <c>MethodTracer.Resume(Activity? activity, out Activity? caller)</c>.</summary>
    public MethodReference Resume { get; }

    /// <summary>Static <c>MethodTracer.Suspend(Activity? activity, bool switched, Activity? caller)</c>.</summary>
    public MethodReference Suspend { get; }

    static MethodDefinition Method(TypeDefinition type, string name, int parameterCount) =>
        type.Methods.Single(m => m.Name == name && m.Parameters.Count == parameterCount);
}
