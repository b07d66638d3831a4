using System;
using SysdigTracers.Fody.Naming;
using SysdigTracers.Fody.Selection;
using SysdigTracers.Fody.Weaving.StateMachines;

namespace SysdigTracers.Fody.Weaving;

/// <summary>
/// Hands each selected method to the processor of its <see cref="MethodShape"/>: an async method or an iterator is
/// traced through its state machine, so that its span ends when the operation ends, not when the state machine is
/// created.
/// </summary>
internal sealed class MethodWeaver
{
    readonly IMethodProcessor plain;
    readonly IMethodProcessor async;
    readonly IMethodProcessor iterator;
    readonly IMethodProcessor asyncIterator;
    readonly Diagnostics diagnostics;

    /// <summary>Creates the dispatcher with the processors of every shape.</summary>
    public MethodWeaver(RuntimeReferences references, TracerFieldHolder holder, Diagnostics diagnostics)
    {
        this.diagnostics = diagnostics;
        plain = new PlainMethodProcessor(references, holder);
        async = new AsyncMethodProcessor(references, holder, diagnostics);
        iterator = new IteratorProcessor(references, holder, diagnostics);
        asyncIterator = new AsyncIteratorProcessor(references, holder, diagnostics);
    }

    /// <summary>Weaves one method; a failure is reported at the method and does not stop the others.</summary>
    public void Weave(TracingPlan plan)
    {
        var method = plan.Method;
        var processor = MethodShapes.Classify(method) switch
        {
            MethodShape.Async => async,
            MethodShape.Iterator => iterator,
            MethodShape.AsyncIterator => asyncIterator,
            _ => plain,
        };

        try
        {
            processor.Process(plan);
        }
        catch (Exception exception) when (exception is not global::Fody.WeavingException)
        {
            diagnostics.Error(DiagnosticCodes.WeavingFailed, $"Could not weave tracers into '{CSharpName.Of(method)}': {exception.GetType().Name}: {exception.Message}", method);
        }
    }
}
