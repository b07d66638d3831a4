using System;
using System.Collections.Generic;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;

namespace SysdigTracers.Fody.Weaving.StateMachines;

/// <summary>
/// The code that state machine weaving injects: the enter tracer with a span id, and the helper methods added to
/// the state machine that start a span and close it exactly once (the span id field goes back to 0 when the exit
/// is written, and 0 means "no open span").
/// </summary>
internal static class SpanCode
{
    /// <summary>
    /// Writes the enter tracer with the id that <paramref name="loadId"/> pushes:
    /// <c>tracer.Enter(id)</c>, or <c>tracer.BeginEnter(id)</c>, one <c>Add</c> per argument, <c>Write()</c>.
    /// </summary>
    public static List<Instruction> Enter(
        MethodBody body,
        RuntimeReferences references,
        FieldReference tracer,
        Func<IEnumerable<Instruction>> loadId,
        IReadOnlyList<EnterArgument> arguments)
    {
        var code = new List<Instruction> { Instruction.Create(OpCodes.Ldsfld, tracer) };
        code.AddRange(loadId());
        if (arguments.Count == 0)
        {
            code.Add(Instruction.Create(OpCodes.Callvirt, references.EnterWithId));
        }
        else
        {
            code.AddRange(TracerArgsCode.BeginEnter(body, references, arguments));
        }

        return code;
    }

    /// <summary>
    /// Adds <c>void &lt;&gt;sysdig_Start()</c>: when no span is open, every <paramref name="startConditions"/> holds
    /// (each pushes a bool) and tracing is on, takes a fresh id, stores it and writes the enter tracer.
    /// </summary>
    public static MethodDefinition AddStart(
        StateMachineType stateMachine,
        RuntimeReferences references,
        FieldReference tracer,
        FieldDefinition span,
        IReadOnlyList<Func<IEnumerable<Instruction>>> startConditions,
        IReadOnlyList<EnterArgument> arguments)
    {
        var module = references.Module;
        var method = stateMachine.AddMethod("Start", module.TypeSystem.Void);
        var body = method.Body;
        var il = body.GetILProcessor();
        var id = BodyEditing.AddLocal(body, module.TypeSystem.Int64);
        var done = Instruction.Create(OpCodes.Ret);

        il.Append(Instruction.Create(OpCodes.Ldarg_0));
        il.Append(Instruction.Create(OpCodes.Ldfld, stateMachine.OnSelf(span)));
        il.Append(Instruction.Create(OpCodes.Brtrue, done));
        foreach (var condition in startConditions)
        {
            foreach (var instruction in condition())
            {
                il.Append(instruction);
            }

            il.Append(Instruction.Create(OpCodes.Brfalse, done));
        }

        il.Append(Instruction.Create(OpCodes.Call, references.TracerEnabledGetter));
        il.Append(Instruction.Create(OpCodes.Brfalse, done));
        il.Append(Instruction.Create(OpCodes.Call, references.NewSpanId));
        il.Append(Instruction.Create(OpCodes.Stloc, id));
        il.Append(Instruction.Create(OpCodes.Ldarg_0));
        il.Append(Instruction.Create(OpCodes.Ldloc, id));
        il.Append(Instruction.Create(OpCodes.Stfld, stateMachine.OnSelf(span)));
        foreach (var instruction in Enter(body, references, tracer, () => new[] { Instruction.Create(OpCodes.Ldloc, id) }, arguments))
        {
            il.Append(instruction);
        }

        il.Append(done);
        body.OptimizeMacros();
        return method;
    }

    /// <summary>
    /// Adds <c>void &lt;&gt;sysdig_Exit(Exception? exception)</c>: when a span is open, closes it (id back to 0)
    /// and writes the exit tracer, with <c>exception=TypeFullName</c> when <paramref name="exception"/> is set.
    /// With <paramref name="exceptionField"/>, the method takes no parameter and uses (and clears) that field.
    /// </summary>
    public static MethodDefinition AddExit(
        StateMachineType stateMachine,
        RuntimeReferences references,
        FieldReference tracer,
        FieldDefinition span,
        FieldDefinition? exceptionField = null)
    {
        var module = references.Module;
        var method = exceptionField == null
            ? stateMachine.AddMethod("Exit", module.TypeSystem.Void, ("exception", references.ExceptionType))
            : stateMachine.AddMethod("Close", module.TypeSystem.Void);
        var il = BeginClose(stateMachine, method, span, out var id, out var done);
        if (exceptionField != null)
        {
            var exception = BodyEditing.AddLocal(method.Body, references.ExceptionType);
            il.Append(Instruction.Create(OpCodes.Ldarg_0));
            il.Append(Instruction.Create(OpCodes.Ldfld, stateMachine.OnSelf(exceptionField)));
            il.Append(Instruction.Create(OpCodes.Stloc, exception));
            il.Append(Instruction.Create(OpCodes.Ldarg_0));
            il.Append(Instruction.Create(OpCodes.Ldnull));
            il.Append(Instruction.Create(OpCodes.Stfld, stateMachine.OnSelf(exceptionField)));
            il.Append(Instruction.Create(OpCodes.Ldsfld, tracer));
            il.Append(Instruction.Create(OpCodes.Ldloc, id));
            il.Append(Instruction.Create(OpCodes.Ldloc, exception));
        }
        else
        {
            il.Append(Instruction.Create(OpCodes.Ldsfld, tracer));
            il.Append(Instruction.Create(OpCodes.Ldloc, id));
            il.Append(Instruction.Create(OpCodes.Ldarg_1));
        }

        il.Append(Instruction.Create(OpCodes.Callvirt, references.ExitWithId));
        il.Append(done);
        method.Body.OptimizeMacros();
        return method;
    }

    /// <summary>
    /// Adds <c>void &lt;&gt;sysdig_Return(T result)</c>: like <see cref="AddExit"/> for a successful end, writing
    /// <c>return=result</c>.
    /// </summary>
    public static MethodDefinition AddReturn(
        StateMachineType stateMachine,
        RuntimeReferences references,
        FieldReference tracer,
        FieldDefinition span,
        TypeReference resultType)
    {
        var method = stateMachine.AddMethod("Return", references.Module.TypeSystem.Void, ("result", resultType));
        var il = BeginClose(stateMachine, method, span, out var id, out var done);
        il.Append(Instruction.Create(OpCodes.Ldsfld, tracer));
        il.Append(Instruction.Create(OpCodes.Ldloc, id));
        il.Append(Instruction.Create(OpCodes.Ldnull));
        il.Append(Instruction.Create(OpCodes.Ldarg_1));
        il.Append(Instruction.Create(OpCodes.Callvirt, BodyEditing.Generic(references.ExitWithReturn, resultType)));
        il.Append(done);
        method.Body.OptimizeMacros();
        return method;
    }

    /// <summary>
    /// Injects, right before <paramref name="call"/> (whose last argument is on the stack), a call of the state
    /// machine's <paramref name="helper"/>: with <paramref name="passArgument"/>, the helper receives that argument
    /// (spilled to a local and pushed again for the call); otherwise it receives null (an exception parameter) or
    /// nothing. The call instruction object itself becomes the first injected instruction, so branches to it stay
    /// valid. Returns the first injected instruction.
    /// </summary>
    public static Instruction InjectBeforeCall(MethodBody body, Instruction call, MethodReference helper, bool passArgument)
    {
        var injected = new List<Instruction>();
        if (passArgument)
        {
            var spill = BodyEditing.AddLocal(body, ArgumentType((MethodReference)call.Operand));
            injected.Add(Instruction.Create(OpCodes.Stloc, spill));
            injected.Add(Instruction.Create(OpCodes.Ldarg_0));
            injected.Add(Instruction.Create(OpCodes.Ldloc, spill));
            injected.Add(Instruction.Create(OpCodes.Call, helper));
            injected.Add(Instruction.Create(OpCodes.Ldloc, spill));
        }
        else
        {
            injected.Add(Instruction.Create(OpCodes.Ldarg_0));
            if (helper.Parameters.Count == 1)
            {
                injected.Add(Instruction.Create(OpCodes.Ldnull));
            }

            injected.Add(Instruction.Create(OpCodes.Call, helper));
        }

        injected.Add(Instruction.Create(call.OpCode, (MethodReference)call.Operand));
        BodyEditing.ReplaceInPlace(body, call, injected);
        return call;
    }

    /// <summary>The type of a method's single parameter in the terms of the caller (generic type arguments substituted).</summary>
    public static TypeReference ArgumentType(MethodReference method)
    {
        var type = method.Parameters[0].ParameterType;
        if (type is GenericParameter { Type: GenericParameterType.Type } parameter &&
            method.DeclaringType is GenericInstanceType declaring)
        {
            return declaring.GenericArguments[parameter.Position];
        }

        return type;
    }

    static ILProcessor BeginClose(StateMachineType stateMachine, MethodDefinition method, FieldDefinition span, out VariableDefinition id, out Instruction done)
    {
        var il = method.Body.GetILProcessor();
        id = BodyEditing.AddLocal(method.Body, method.Module.TypeSystem.Int64);
        done = Instruction.Create(OpCodes.Ret);
        il.Append(Instruction.Create(OpCodes.Ldarg_0));
        il.Append(Instruction.Create(OpCodes.Ldfld, stateMachine.OnSelf(span)));
        il.Append(Instruction.Create(OpCodes.Stloc, id));
        il.Append(Instruction.Create(OpCodes.Ldloc, id));
        il.Append(Instruction.Create(OpCodes.Brfalse, done));
        il.Append(Instruction.Create(OpCodes.Ldarg_0));
        il.Append(Instruction.Create(OpCodes.Ldc_I4_0));
        il.Append(Instruction.Create(OpCodes.Conv_I8));
        il.Append(Instruction.Create(OpCodes.Stfld, stateMachine.OnSelf(span)));
        return il;
    }
}
