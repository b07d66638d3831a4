using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;
using SysdigTracers.Fody.Selection;

namespace SysdigTracers.Fody.Weaving.StateMachines;

/// <summary>
/// Traces an async iterator (<c>IAsyncEnumerable&lt;T&gt;</c>, <c>IAsyncEnumerator&lt;T&gt;</c>) as one span per
/// enumeration: it opens when the first <c>MoveNextAsync</c> starts running the body and closes when the
/// enumeration completes: the body ran to its end (the <c>MoveNextAsync</c> that returns false), threw (with
/// <c>exception=</c>, cancellation included), or <c>DisposeAsync</c> finished running the <c>finally</c> blocks
/// after an early <c>break</c>. All three end in the compiler's <c>&lt;&gt;v__promiseOfValueOrEnd.SetResult(false)</c>
/// or <c>.SetException(e)</c> in <c>MoveNext</c>, where the exit is written, before the awaiting code resumes:
/// <code>
/// void MoveNext() {
///     MethodTracer.MakeCurrent(this.&lt;&gt;sysdig_activity);   // each step runs under the enumeration's Activity
///     this.&lt;&gt;sysdig_Start();     // only when state == -3 (not started), not in dispose mode, no span open
///     ... original body, with:
///     this.&lt;&gt;sysdig_End(more); promise.SetResult(more);    // writes the exit when more == false
///     this.&lt;&gt;sysdig_Exit(e);    promise.SetException(e);
/// }
/// </code>
/// The builder runs each step under the caller's execution context and restores it afterwards, so the Activity made
/// current in a step never leaks to the code that called <c>MoveNextAsync</c>.
/// A <c>DisposeAsync</c> without any <c>MoveNextAsync</c> writes nothing. <c>GetAsyncEnumerator</c> clones get a
/// span of their own.
/// </summary>
internal sealed class AsyncIteratorProcessor : StateMachineProcessor
{
    const string AttributeName = "System.Runtime.CompilerServices.AsyncIteratorStateMachineAttribute";
    const int NotStarted = -3;

    /// <summary>Creates the processor.</summary>
    public AsyncIteratorProcessor(RuntimeReferences references, TracerFieldHolder holder, Diagnostics diagnostics)
        : base(references, holder, diagnostics, AttributeName)
    {
    }

    /// <inheritdoc />
    public override void Process(TracingPlan plan)
    {
        var kickoff = plan.Method;
        var stateMachine = FindStateMachine(kickoff);
        var state = stateMachine?.Field("<>1__state");
        var disposeMode = stateMachine?.Field("<>w__disposeMode");
        var promise = stateMachine?.Field("<>v__promiseOfValueOrEnd");
        var moveNext = stateMachine?.Implementation("System.Runtime.CompilerServices.IAsyncStateMachine", "MoveNext");
        var getEnumerator = stateMachine?.Implementation("System.Collections.Generic.IAsyncEnumerable`1", "GetAsyncEnumerator");
        var creation = stateMachine == null ? null : EnumeratorArguments.FindCreation(stateMachine);
        var returnsEnumerable = kickoff.ReturnType.GetElementType().FullName == "System.Collections.Generic.IAsyncEnumerable`1";
        var completions = promise == null || moveNext == null
            ? new List<Instruction>()
            : moveNext.Body.Instructions.Where(i => IsCompletion(i, promise)).ToList();
        if (stateMachine == null || state == null || disposeMode == null || moveNext == null || creation == null ||
            (returnsEnumerable && getEnumerator == null) ||
            !completions.Any(c => ((MethodReference)c.Operand).Name == "SetResult"))
        {
            WarnUnknownLayout(
                kickoff,
                "an async iterator",
                "<>1__state, <>w__disposeMode and <>v__promiseOfValueOrEnd fields, MoveNext and GetAsyncEnumerator, created once by the method");
            return;
        }

        var parameters = TracedValues.Parameters(plan);
        var tracerField = Holder.Add(plan, parameters);
        var module = References.Module;
        var span = stateMachine.AddField("span", module.TypeSystem.Int64);
        var activity = stateMachine.AddField("activity", References.Activities.ActivityType);
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
                    Instruction.Create(OpCodes.Ldc_I4, NotStarted),
                    Instruction.Create(OpCodes.Ceq),
                }),
                () => stateMachine.LoadOwnField(disposeMode).Concat(new[]
                {
                    Instruction.Create(OpCodes.Ldc_I4_0),
                    Instruction.Create(OpCodes.Ceq),
                }),
            },
            arguments.Arguments);
        var exit = stateMachine.OnSelf(SpanCode.AddExit(stateMachine, References, tracerField, span, activity));
        var end = stateMachine.OnSelf(AddEnd(stateMachine, exit));

        arguments.WeaveKickoff(creation);
        if (getEnumerator != null)
        {
            arguments.WeaveGetEnumerator(getEnumerator);
        }

        BodyEditing.Edit(moveNext, (body, debug) =>
        {
            var prologue = new[]
            {
                Instruction.Create(OpCodes.Ldarg_0),
                Instruction.Create(OpCodes.Ldfld, stateMachine.OnSelf(activity)),
                Instruction.Create(OpCodes.Call, References.Activities.MakeCurrent),
                Instruction.Create(OpCodes.Ldarg_0),
                Instruction.Create(OpCodes.Call, stateMachine.OnSelf(start)),
            };
            BodyEditing.Inject(body, body.Instructions[0], prologue, debug);
            foreach (var call in completions)
            {
                var isResult = ((MethodReference)call.Operand).Name == "SetResult";
                debug.HideFrom(SpanCode.InjectBeforeCall(body, call, isResult ? end : exit, passArgument: true));
            }
        });
    }

    static bool IsCompletion(Instruction instruction, FieldDefinition promise) =>
        instruction.OpCode == OpCodes.Call &&
        instruction.Operand is MethodReference { Name: "SetResult" or "SetException", Parameters.Count: 1 } method &&
        method.DeclaringType.GetElementType().FullName == promise.FieldType.GetElementType().FullName;

    /// <summary>Adds <c>void &lt;&gt;sysdig_End(bool more)</c>: the enumeration ended when <c>more</c> is false.</summary>
    MethodDefinition AddEnd(StateMachineType stateMachine, MethodReference exit)
    {
        var method = stateMachine.AddMethod("End", References.Module.TypeSystem.Void, ("more", References.Module.TypeSystem.Boolean));
        var il = method.Body.GetILProcessor();
        var done = Instruction.Create(OpCodes.Ret);
        il.Append(Instruction.Create(OpCodes.Ldarg_1));
        il.Append(Instruction.Create(OpCodes.Brtrue, done));
        il.Append(Instruction.Create(OpCodes.Ldarg_0));
        il.Append(Instruction.Create(OpCodes.Ldnull));
        il.Append(Instruction.Create(OpCodes.Call, exit));
        il.Append(done);
        method.Body.OptimizeMacros();
        return method;
    }
}
