using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;
using SysdigTracers.Fody.Selection;

namespace SysdigTracers.Fody.Weaving.StateMachines;

/// <summary>
/// Traces an iterator (<c>IEnumerable&lt;T&gt;</c>, <c>IEnumerator&lt;T&gt;</c> and the non-generic ones) as one span
/// per enumeration: it opens at the first <c>MoveNext</c> of an enumerator and closes at the first of: a
/// <c>MoveNext</c> that returns false (the end), a <c>MoveNext</c> that throws (with <c>exception=</c>), or
/// <c>Dispose</c> (early <c>break</c>, after the iterator's <c>finally</c> blocks ran). In C# terms:
/// <code>
/// bool MoveNext() {
///     this.&lt;&gt;sysdig_switched = MethodTracer.Resume(this.&lt;&gt;sysdig_activity, out this.&lt;&gt;sysdig_caller);
///     this.&lt;&gt;sysdig_Start();            // only when state == 0 (first call) and no span is open
///     bool result = false;
///     try {
///         try { original body, each return → result = value; &lt;&gt;sysdig_exception = null; leave }
///         catch (object o) when ((&lt;&gt;sysdig_exception = o as Exception) is var _ &amp;&amp; false) { throw o; }   // never catches
///     } finally {
///         if (!result) this.&lt;&gt;sysdig_Close();
///         MethodTracer.Suspend(this.&lt;&gt;sysdig_activity, this.&lt;&gt;sysdig_switched, this.&lt;&gt;sysdig_caller);
///     }
///     return result;
/// }
/// void Dispose() {
///     try {
///         try { original body }
///         catch (object o) when ((&lt;&gt;sysdig_exception = o as Exception) is var _ &amp;&amp; false) { throw o; }   // never catches
///     } finally { this.&lt;&gt;sysdig_Close(); }
/// }
/// </code>
/// <c>&lt;&gt;sysdig_Close</c> writes the exit only while a span is open and closes it, so the exit is written once:
/// when an exception leaves <c>MoveNext</c>, the compiler's own fault handler calls <c>Dispose</c>, which closes the
/// span with the exception the filter recorded (the filter runs before any fault or finally handler), or with the
/// one a <c>finally</c> block of the iterator threw instead while disposing (recorded by the filter of <c>Dispose</c>).
/// Each enumerator is its own span: <c>GetEnumerator</c> clones get a span of their own.
/// The Activity is current while <c>MoveNext</c> runs the body and only then: <c>Resume</c> makes it current and
/// remembers the caller's, <c>Suspend</c> gives the caller its own back between two <c>MoveNext</c> calls.
/// </summary>
internal sealed class IteratorProcessor : StateMachineProcessor
{
    const string AttributeName = "System.Runtime.CompilerServices.IteratorStateMachineAttribute";

    /// <summary>Creates the processor.</summary>
    public IteratorProcessor(RuntimeReferences references, TracerFieldHolder holder, Diagnostics diagnostics)
        : base(references, holder, diagnostics, AttributeName)
    {
    }

    /// <inheritdoc />
    public override void Process(TracingPlan plan)
    {
        var kickoff = plan.Method;
        var stateMachine = FindStateMachine(kickoff);
        var state = stateMachine?.Field("<>1__state");
        var moveNext = stateMachine?.Implementation("System.Collections.IEnumerator", "MoveNext");
        var dispose = stateMachine?.Implementation("System.IDisposable", "Dispose");
        var getEnumerator = stateMachine?.Implementation("System.Collections.Generic.IEnumerable`1", "GetEnumerator");
        var creation = stateMachine == null ? null : EnumeratorArguments.FindCreation(stateMachine);
        var returnsEnumerable = kickoff.ReturnType.GetElementType().FullName is "System.Collections.Generic.IEnumerable`1" or "System.Collections.IEnumerable";
        if (stateMachine == null || state == null || moveNext == null || dispose == null || creation == null ||
            moveNext.ReturnType.MetadataType != MetadataType.Boolean || (returnsEnumerable && getEnumerator == null))
        {
            WarnUnknownLayout(
                kickoff,
                "an iterator",
                "a <>1__state field, MoveNext, Dispose and GetEnumerator, created once by the method");
            return;
        }

        var parameters = TracedValues.Parameters(plan);
        var tracerField = Holder.Add(plan, parameters);
        var module = References.Module;
        var span = stateMachine.AddField("span", module.TypeSystem.Int64);
        var exception = stateMachine.AddField("exception", References.ExceptionType);
        var activity = stateMachine.AddField("activity", References.Activities.ActivityType);
        var caller = stateMachine.AddField("caller", References.Activities.ActivityType);
        var switched = stateMachine.AddField("switched", module.TypeSystem.Boolean);
        var arguments = new EnumeratorArguments(stateMachine, plan, parameters);

        var start = SpanCode.AddStart(
            stateMachine,
            References,
            tracerField,
            span,
            activity,
            new[]
            {
                () => stateMachine.LoadOwnField(state).Concat(new[]
                {
                    Instruction.Create(OpCodes.Ldc_I4_0),
                    Instruction.Create(OpCodes.Ceq),
                }),
            },
            arguments.Arguments);
        var close = stateMachine.OnSelf(SpanCode.AddExit(stateMachine, References, tracerField, span, activity, exception));

        arguments.WeaveKickoff(creation);
        if (getEnumerator != null)
        {
            arguments.WeaveGetEnumerator(getEnumerator);
        }

        WeaveMoveNext(
            moveNext,
            stateMachine.OnSelf(start),
            close,
            stateMachine.OnSelf(exception),
            stateMachine.OnSelf(activity),
            stateMachine.OnSelf(caller),
            stateMachine.OnSelf(switched));
        WeaveDispose(dispose, close, stateMachine.OnSelf(exception));
    }

    void WeaveMoveNext(
        MethodDefinition moveNext,
        MethodReference start,
        MethodReference close,
        FieldReference exception,
        FieldReference activity,
        FieldReference caller,
        FieldReference switched)
    {
        BodyEditing.Edit(moveNext, (body, debug) =>
        {
            var regionStart = body.Instructions[0];
            var result = BodyEditing.AddLocal(body, References.Module.TypeSystem.Boolean);
            var caught = BodyEditing.AddLocal(body, References.ExceptionType);

            var epilogue = new[] { Instruction.Create(OpCodes.Ldloc, result), Instruction.Create(OpCodes.Ret) };
            ProtectedRegion.RewriteReturns(
                body,
                result,
                () => new[]
                {
                    Instruction.Create(OpCodes.Ldarg_0),
                    Instruction.Create(OpCodes.Ldnull),
                    Instruction.Create(OpCodes.Stfld, exception),
                },
                epilogue[0]);

            var prologue = new[]
            {
                Instruction.Create(OpCodes.Ldarg_0),
                Instruction.Create(OpCodes.Ldarg_0),
                Instruction.Create(OpCodes.Ldfld, activity),
                Instruction.Create(OpCodes.Ldarg_0),
                Instruction.Create(OpCodes.Ldflda, caller),
                Instruction.Create(OpCodes.Call, References.Activities.Resume),
                Instruction.Create(OpCodes.Stfld, switched),
                Instruction.Create(OpCodes.Ldarg_0),
                Instruction.Create(OpCodes.Call, start),
            };
            BodyEditing.Inject(body, regionStart, prologue, debug);

            var endFinally = Instruction.Create(OpCodes.Endfinally);
            var suspend = Instruction.Create(OpCodes.Ldarg_0);
            ProtectedRegion.AppendFilterAndFinally(
                body,
                regionStart,
                References.ExceptionType,
                RecordException(caught, exception),
                new[]
                {
                    Instruction.Create(OpCodes.Ldloc, result),
                    Instruction.Create(OpCodes.Brtrue, suspend),
                    Instruction.Create(OpCodes.Ldarg_0),
                    Instruction.Create(OpCodes.Call, close),
                    suspend,
                    Instruction.Create(OpCodes.Ldfld, activity),
                    Instruction.Create(OpCodes.Ldarg_0),
                    Instruction.Create(OpCodes.Ldfld, switched),
                    Instruction.Create(OpCodes.Ldarg_0),
                    Instruction.Create(OpCodes.Ldfld, caller),
                    Instruction.Create(OpCodes.Call, References.Activities.Suspend),
                    endFinally,
                },
                epilogue,
                debug);
        });
    }

    /// <summary>
    /// Wraps <c>Dispose</c> (the iterator's <c>finally</c> blocks) in the same recording filter as <c>MoveNext</c> and
    /// a <c>finally</c> that closes the span: an exception a <c>finally</c> block throws while the caller disposes
    /// (an early <c>break</c>) is named on the exit, and when <c>Dispose</c> runs from the compiler's fault handler
    /// in <c>MoveNext</c>, the exception that replaces the body's is the one named.
    /// </summary>
    void WeaveDispose(MethodDefinition dispose, MethodReference close, FieldReference exception)
    {
        BodyEditing.Edit(dispose, (body, debug) =>
        {
            var regionStart = body.Instructions[0];
            var caught = BodyEditing.AddLocal(body, References.ExceptionType);
            var epilogue = new[] { Instruction.Create(OpCodes.Ret) };
            ProtectedRegion.RewriteReturns(body, null, () => System.Array.Empty<Instruction>(), epilogue[0]);
            ProtectedRegion.AppendFilterAndFinally(
                body,
                regionStart,
                References.ExceptionType,
                RecordException(caught, exception),
                new[]
                {
                    Instruction.Create(OpCodes.Ldarg_0),
                    Instruction.Create(OpCodes.Call, close),
                    Instruction.Create(OpCodes.Endfinally),
                },
                epilogue,
                debug);
        });
    }

    /// <summary>The filter's body: stores the thrown exception (null when it is not one) into the state machine's field.</summary>
    static Instruction[] RecordException(VariableDefinition caught, FieldReference exception) => new[]
    {
        Instruction.Create(OpCodes.Stloc, caught),
        Instruction.Create(OpCodes.Ldarg_0),
        Instruction.Create(OpCodes.Ldloc, caught),
        Instruction.Create(OpCodes.Stfld, exception),
    };
}
