using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;
using SysdigTracers.Fody.Selection;

namespace SysdigTracers.Fody.Weaving.StateMachines;

/// <summary>
/// The enter arguments of an iterator or async iterator. Their enter tracer is written by the first
/// <c>MoveNext</c>, long after the call, and the compiler keeps in the state machine only the parameters the body
/// uses (in Release builds); so the weaver keeps its own copy: one field per traced parameter, set by the kickoff method on
/// the object it creates and copied by <c>GetEnumerator</c>/<c>GetAsyncEnumerator</c> to the enumerator it returns
/// (the same object, or a fresh one when the enumerable is enumerated again or from another thread).
/// </summary>
internal sealed class EnumeratorArguments
{
    readonly StateMachineType stateMachine;
    readonly List<(ParameterDefinition Parameter, FieldDefinition Field)> fields = new();
    readonly List<EnterArgument> arguments = new();

    /// <summary>
    /// Adds one field per parameter to the state machine, except for parameters written as <c>&lt;redacted&gt;</c>,
    /// whose values the enter tracer never reads.
    /// </summary>
    public EnumeratorArguments(StateMachineType stateMachine, TracingPlan plan, IEnumerable<ParameterDefinition> parameters)
    {
        this.stateMachine = stateMachine;
        foreach (var parameter in parameters)
        {
            if (TracedValues.IsRedacted(plan, parameter))
            {
                arguments.Add(new EnterArgument(parameter.ParameterType, () => new Instruction[0], redacted: true));
                continue;
            }

            var type = stateMachine.FromKickoff(TracedValues.StripModifiers(parameter.ParameterType));
            var field = stateMachine.AddField("arg_" + TracedValues.ArgumentName(parameter), type);
            fields.Add((parameter, field));
            arguments.Add(new EnterArgument(field.FieldType, () => stateMachine.LoadOwnField(field)));
        }
    }

    /// <summary>The enter arguments, in parameter order, as the state machine's own methods read them.</summary>
    public IReadOnlyList<EnterArgument> Arguments => arguments;

    /// <summary>The kickoff method's single <c>newobj</c> of the state machine, or null.</summary>
    public static Instruction? FindCreation(StateMachineType stateMachine) =>
        StateMachineType.Single(stateMachine.KickoffMethod, i =>
            i.OpCode == OpCodes.Newobj &&
            i.Operand is MethodReference constructor &&
            constructor.DeclaringType.GetElementType().FullName == stateMachine.Definition.FullName);

    /// <summary>Stores each argument into the object the kickoff method just created (<paramref name="creation"/>).</summary>
    public void WeaveKickoff(Instruction creation)
    {
        if (fields.Count == 0)
        {
            return;
        }

        BodyEditing.Edit(stateMachine.KickoffMethod, (body, debug) =>
        {
            var instance = ((MethodReference)creation.Operand).DeclaringType;
            var code = new List<Instruction>();
            foreach (var (parameter, field) in fields)
            {
                code.Add(Instruction.Create(OpCodes.Dup));
                code.Add(Instruction.Create(OpCodes.Ldarg, parameter));
                code.Add(Instruction.Create(OpCodes.Stfld, StateMachineType.On(field, instance)));
            }

            // A newobj is never the last instruction of a method.
            BodyEditing.Inject(body, creation.Next, code, debug);
        });
    }

    /// <summary>Copies the arguments to the enumerator that <paramref name="getEnumerator"/> returns, before each <c>ret</c>.</summary>
    public void WeaveGetEnumerator(MethodDefinition getEnumerator)
    {
        if (fields.Count == 0)
        {
            return;
        }

        BodyEditing.Edit(getEnumerator, (body, debug) =>
        {
            var enumerator = BodyEditing.AddLocal(body, stateMachine.Self);
            BodyEditing.ReplaceReturns(body, ret =>
            {
                debug.HideFrom(ret);
                var code = new List<Instruction>
                {
                    Instruction.Create(OpCodes.Castclass, stateMachine.Self),
                    Instruction.Create(OpCodes.Stloc, enumerator),
                };
                foreach (var (_, field) in fields)
                {
                    code.Add(Instruction.Create(OpCodes.Ldloc, enumerator));
                    code.Add(Instruction.Create(OpCodes.Ldarg_0));
                    code.Add(Instruction.Create(OpCodes.Ldfld, stateMachine.OnSelf(field)));
                    code.Add(Instruction.Create(OpCodes.Stfld, stateMachine.OnSelf(field)));
                }

                code.Add(Instruction.Create(OpCodes.Ldloc, enumerator));
                code.Add(Instruction.Create(OpCodes.Ret));
                return code;
            });
        });
    }
}
