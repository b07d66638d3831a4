using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;
using SysdigTracers.Fody.Selection;

namespace SysdigTracers.Fody.Weaving.StateMachines;

/// <summary>
/// Traces an async method (any builder: <c>Task</c>, <c>Task&lt;T&gt;</c>, <c>ValueTask</c>,
/// <c>ValueTask&lt;T&gt;</c>, <c>async void</c>, custom task-likes) as one span from the call to the completion of
/// the operation. In C# terms:
/// <code>
/// // the kickoff method, right after it sets the state machine's state to -1 and before builder.Start(ref sm):
/// bool on = Tracer.Enabled;
/// object? act = F.StartActivity(ref on);                      // the Activity, current from here on: MoveNext runs under it
/// long id = on ? Tracer.NewSpanId() : 0;                       // a span over the method's budget: no Activity, id 0
/// if (id != 0) F.Enter(id, act);     /* or BeginEnter(id, id != 0, act), args, Write() when id != 0 || act != null */
/// sm.&lt;&gt;sysdig_span = id; sm.&lt;&gt;sysdig_activity = act;
/// ... builder.Start(ref sm); MethodTracer.Leave(act); return builder.Task;   // the caller's Activity.Current again
///
/// // MoveNext, each builder completion:
/// this.&lt;&gt;sysdig_Exit(ex);        builder.SetException(ex);
/// this.&lt;&gt;sysdig_Return(result);  builder.SetResult(result);    // ReturnValue on; otherwise &lt;&gt;sysdig_Exit(null)
/// // a result whose method's name says it is a secret (GetTokenAsync): this.&lt;&gt;sysdig_ReturnRedacted(), the value unread
/// </code>
/// The helpers end the span only while its id or Activity field is set and clear both, so each sink ends it once, on
/// whatever thread completes the operation, before any continuation of the task runs. The Activity is made current
/// before <c>builder.Start</c>, so the execution context that every <c>await</c> captures carries it: children started
/// after an <c>await</c> nest under it. <c>Start</c> gives the kickoff method back the context it had before the call,
/// which still holds the Activity, so <c>MethodTracer.Leave</c> puts the caller's back, also when the method completed
/// without suspending.
/// The enter is written in the kickoff method because the parameters are plain arguments there: the compiler copies into the
/// state machine only those the body uses (in Release builds), and the kickoff method is the same for class (Debug) and
/// struct (Release) state machines. A struct state machine is copied to the heap at its first suspension, after
/// the kickoff method stored the id, so both copies carry it.
/// </summary>
internal sealed class AsyncMethodProcessor : StateMachineProcessor
{
    const string AttributeName = "System.Runtime.CompilerServices.AsyncStateMachineAttribute";

    /// <summary>Creates the processor.</summary>
    public AsyncMethodProcessor(RuntimeReferences references, TracerFieldHolder holder, Diagnostics diagnostics)
        : base(references, holder, diagnostics, AttributeName)
    {
    }

    /// <inheritdoc />
    public override void Process(TracingPlan plan)
    {
        var kickoff = plan.Method;
        var stateMachine = FindStateMachine(kickoff);
        var state = stateMachine?.Field("<>1__state");
        var builder = stateMachine?.Field("<>t__builder");
        var moveNext = stateMachine?.Implementation("System.Runtime.CompilerServices.IAsyncStateMachine", "MoveNext");
        var machineVariable = stateMachine == null
            ? null
            : kickoff.Body.Variables.FirstOrDefault(v => v.VariableType.GetElementType().FullName == stateMachine.Definition.FullName);
        var stateStore = state == null
            ? null
            : StateMachineType.Single(kickoff, i => StateMachineType.Accesses(i, state, OpCodes.Stfld));
        var completions = builder == null || moveNext == null
            ? new List<Instruction>()
            : moveNext.Body.Instructions.Where(i => IsCompletion(i, builder)).ToList();
        if (stateMachine == null || state == null || builder == null || moveNext == null || machineVariable == null ||
            stateStore == null || completions.Count == 0)
        {
            WarnUnknownLayout(
                kickoff,
                "an async method",
                "a <>1__state field set once by the method, a <>t__builder field completed by MoveNext");
            return;
        }

        var parameters = TracedValues.Parameters(plan);
        var tracerField = Holder.Add(plan, parameters);
        var span = stateMachine.AddField("span", References.Module.TypeSystem.Int64);
        var activity = stateMachine.AddField("activity", References.Activities.ActivityType);

        WeaveKickoff(plan, stateStore, machineVariable, span, activity, tracerField, parameters);
        WeaveMoveNext(plan, stateMachine, moveNext, span, activity, tracerField, completions);
    }

    /// <summary>A call of the builder's <c>SetResult</c>/<c>SetException</c> (<c>callvirt</c> when the builder is a class).</summary>
    static bool IsCompletion(Instruction instruction, FieldDefinition builder) =>
        (instruction.OpCode == OpCodes.Call || instruction.OpCode == OpCodes.Callvirt) &&
        instruction.Operand is MethodReference { Name: "SetResult" or "SetException" } method &&
        method.DeclaringType.GetElementType().FullName == builder.FieldType.GetElementType().FullName &&
        method.Parameters.Count <= 1;

    void WeaveKickoff(
        TracingPlan plan,
        Instruction stateStore,
        VariableDefinition machineVariable,
        FieldDefinition span,
        FieldDefinition activityField,
        FieldDefinition tracerField,
        List<ParameterDefinition> parameters)
    {
        BodyEditing.Edit(plan.Method, (body, debug) =>
        {
            var id = BodyEditing.AddLocal(body, References.Module.TypeSystem.Int64);
            var activity = BodyEditing.AddLocal(body, References.Activities.ActivityType);

            var resume = stateStore.Next;
            var arguments = parameters
                .Select(p => new EnterArgument(
                    TracedValues.StripModifiers(p.ParameterType),
                    () => new[] { Instruction.Create(OpCodes.Ldarg, p) },
                    redacted: TracedValues.IsRedacted(plan, p)))
                .ToList();
            var code = SpanCode.Open(body, References, tracerField, id, activity, arguments);
            var loadMachine = machineVariable.VariableType.IsValueType ? OpCodes.Ldloca : OpCodes.Ldloc;
            code.Add(Instruction.Create(loadMachine, machineVariable));
            code.Add(Instruction.Create(OpCodes.Ldloc, id));
            code.Add(Instruction.Create(OpCodes.Stfld, StateMachineType.On(span, machineVariable.VariableType)));
            code.Add(Instruction.Create(loadMachine, machineVariable));
            code.Add(Instruction.Create(OpCodes.Ldloc, activity));
            code.Add(Instruction.Create(OpCodes.Stfld, StateMachineType.On(activityField, machineVariable.VariableType)));
            BodyEditing.Inject(body, resume, code, debug);
            BodyEditing.ReplaceReturns(body, ret => new[]
            {
                Instruction.Create(OpCodes.Ldloc, activity),
                Instruction.Create(OpCodes.Call, References.Activities.Leave),
                Instruction.Create(OpCodes.Ret),
            });
        });
    }

    void WeaveMoveNext(
        TracingPlan plan,
        StateMachineType stateMachine,
        MethodDefinition moveNext,
        FieldDefinition span,
        FieldDefinition activity,
        FieldDefinition tracerField,
        List<Instruction> completions)
    {
        var exit = stateMachine.OnSelf(SpanCode.AddExit(stateMachine, References, tracerField, span, activity));
        MethodReference? returnHelper = null;
        var redactsResult = TracedValues.IsReturnRedacted(plan);

        BodyEditing.Edit(moveNext, (body, debug) =>
        {
            foreach (var call in completions)
            {
                var method = (MethodReference)call.Operand;
                Instruction first;
                if (method.Name == "SetException")
                {
                    first = SpanCode.InjectBeforeCall(body, call, exit, passArgument: true);
                }
                else if (method.Parameters.Count == 1 && plan.ReturnValue)
                {
                    // A redacted result stays on the stack for SetResult, unread.
                    returnHelper ??= stateMachine.OnSelf(redactsResult
                        ? SpanCode.AddRedactedReturn(stateMachine, References, tracerField, span, activity)
                        : SpanCode.AddReturn(stateMachine, References, tracerField, span, activity, SpanCode.ArgumentType(method)));
                    first = SpanCode.InjectBeforeCall(body, call, returnHelper, passArgument: !redactsResult);
                }
                else
                {
                    first = SpanCode.InjectBeforeCall(body, call, exit, passArgument: false);
                }

                debug.HideFrom(first);
            }
        });
    }
}
