using System;
using System.Collections.Generic;
using SysdigTracers.Fody.Selection;

namespace SysdigTracers.Fody.Weaving;

/// <summary>
/// Hands each selected method to the processor of its <see cref="MethodShape"/>. A shape without a processor is
/// left unwoven with a build warning at the method: tracing an async method or an iterator like a plain method
/// would end its span when the state machine is created, not when the operation ends.
/// </summary>
public sealed class MethodWeaver
{
    readonly Dictionary<MethodShape, IMethodProcessor> processors = new();
    readonly Diagnostics diagnostics;

    /// <summary>Creates the dispatcher with the processors available for this module.</summary>
    public MethodWeaver(RuntimeReferences references, TracerFieldHolder holder, Diagnostics diagnostics)
    {
        this.diagnostics = diagnostics;
        processors[MethodShape.Plain] = new PlainMethodProcessor(references, holder);

        // Async methods, iterators and async iterators: their state machines are woven (Weaving/StateMachines).
        var stateMachines = new StateMachines.StateMachineReferences(holder.Type.Module, references, holder.Activities);
        processors[MethodShape.Async] = new StateMachines.AsyncMethodProcessor(stateMachines, holder, diagnostics);
        processors[MethodShape.Iterator] = new StateMachines.IteratorProcessor(stateMachines, holder, diagnostics);
        processors[MethodShape.AsyncIterator] = new StateMachines.AsyncIteratorProcessor(stateMachines, holder, diagnostics);
    }

    /// <summary>Weaves one method; a failure is reported at the method and does not stop the others.</summary>
    public void Weave(TracingPlan plan)
    {
        var method = plan.Method;
        var shape = MethodShapes.Classify(method);
        if (!processors.TryGetValue(shape, out var processor))
        {
            diagnostics.Warning(
                $"'{method.FullName}' is {Describe(shape)}; SysdigTracers does not trace {Plural(shape)} yet, so it is left untraced.",
                method);
            return;
        }

        try
        {
            processor.Process(plan);
        }
        catch (Exception exception) when (exception is not global::Fody.WeavingException)
        {
            diagnostics.Error($"Could not weave tracers into '{method.FullName}': {exception.GetType().Name}: {exception.Message}", method);
        }
    }

    static string Describe(MethodShape shape) => shape switch
    {
        MethodShape.Async => "an async method",
        MethodShape.Iterator => "an iterator",
        MethodShape.AsyncIterator => "an async iterator",
        _ => "a method",
    };

    static string Plural(MethodShape shape) => shape switch
    {
        MethodShape.Async => "async methods",
        MethodShape.Iterator => "iterators",
        MethodShape.AsyncIterator => "async iterators",
        _ => "methods",
    };
}
