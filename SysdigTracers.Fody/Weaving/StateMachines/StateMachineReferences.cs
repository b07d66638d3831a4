using System.Linq;
using Mono.Cecil;

namespace SysdigTracers.Fody.Weaving.StateMachines;

/// <summary>
/// The runtime members that state machine weaving needs beyond <see cref="RuntimeReferences"/>: the span-id
/// overloads of <c>MethodTracer</c> and <c>Tracer.NewSpanId()</c>. Resolved from the types the shared references
/// already found, so the runtime contract stays in one place.
/// </summary>
public sealed class StateMachineReferences
{
    /// <summary>Resolves the extra members and imports them into <paramref name="module"/>.</summary>
    public StateMachineReferences(ModuleDefinition module, RuntimeReferences runtime, ActivityReferences activities)
    {
        Runtime = runtime;
        Activities = activities;
        Module = module;
        var methodTracer = runtime.MethodTracerType.Resolve();
        var tracer = runtime.TracerEnabledGetter.DeclaringType.Resolve();
        NewSpanId = module.ImportReference(tracer.Methods.Single(m => m.Name == "NewSpanId" && m.IsStatic && m.Parameters.Count == 0));
    }

    /// <summary>The shared runtime references.</summary>
    public RuntimeReferences Runtime { get; }

    /// <summary>The runtime's Activity members.</summary>
    public ActivityReferences Activities { get; }

    /// <summary>The module being woven.</summary>
    public ModuleDefinition Module { get; }

    /// <summary><c>Tracer.NewSpanId()</c>.</summary>
    public MethodReference NewSpanId { get; }
}
