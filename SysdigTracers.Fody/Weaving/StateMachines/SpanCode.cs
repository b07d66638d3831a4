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
    /// Opens the span in both sinks, into the locals <paramref name="id"/> and <paramref name="activity"/>:
    /// <code>
    /// bool on = Tracer.Enabled;
    /// activity = F.StartActivity(ref on);      // a span over the method's budget: null, and on = false
    /// id = on ? Tracer.NewSpanId() : 0;
    /// if (id != 0) F.Enter(id, activity);      // with arguments: if (id != 0 || activity != null) { var a = F.BeginEnter(id, id != 0, activity); a.Add(...); a.Write(); }
    /// </code>
    /// The last instruction is a <c>nop</c> that ends the code.
    /// </summary>
    public static List<Instruction> Open(
        MethodBody body,
        RuntimeReferences references,
        FieldReference tracer,
        VariableDefinition id,
        VariableDefinition activity,
        IReadOnlyList<EnterArgument> arguments)
    {
        var activities = references.Activities;
        var on = BodyEditing.AddLocal(body, references.Module.TypeSystem.Boolean);
        var end = Instruction.Create(OpCodes.Nop);
        var enter = Instruction.Create(OpCodes.Ldloc, id);
        var code = new List<Instruction>
        {
            Instruction.Create(OpCodes.Call, references.TracerEnabledGetter),
            Instruction.Create(OpCodes.Stloc, on),
            Instruction.Create(OpCodes.Ldsfld, tracer),
            Instruction.Create(OpCodes.Ldloca, on),
            Instruction.Create(OpCodes.Callvirt, activities.StartActivity),
            Instruction.Create(OpCodes.Stloc, activity),
            Instruction.Create(OpCodes.Ldc_I4_0),
            Instruction.Create(OpCodes.Conv_I8),
            Instruction.Create(OpCodes.Stloc, id),
            Instruction.Create(OpCodes.Ldloc, on),
            Instruction.Create(OpCodes.Brfalse, enter),
            Instruction.Create(OpCodes.Call, references.NewSpanId),
            Instruction.Create(OpCodes.Stloc, id),
            enter,
        };
        if (arguments.Count == 0)
        {
            code.Add(Instruction.Create(OpCodes.Brfalse, end));
            code.Add(Instruction.Create(OpCodes.Ldsfld, tracer));
            code.Add(Instruction.Create(OpCodes.Ldloc, id));
            code.Add(Instruction.Create(OpCodes.Ldloc, activity));
            code.Add(Instruction.Create(OpCodes.Callvirt, activities.Enter));
        }
        else
        {
            var write = Instruction.Create(OpCodes.Ldsfld, tracer);
            code.Add(Instruction.Create(OpCodes.Brtrue, write));
            code.Add(Instruction.Create(OpCodes.Ldloc, activity));
            code.Add(Instruction.Create(OpCodes.Brfalse, end));
            code.Add(write);
            code.AddRange(LoadSpan(id, activity));
            code.AddRange(TracerArgsCode.BeginEnter(body, references, arguments, activities.BeginEnter));
        }

        code.Add(end);
        return code;
    }

    /// <summary>
    /// Adds <c>void &lt;&gt;sysdig_Start()</c>: when no span is open and every <paramref name="startConditions"/> holds
    /// (each pushes a bool), opens the span (<see cref="Open"/>) and stores its id and Activity.
    /// </summary>
    public static MethodDefinition AddStart(
        StateMachineType stateMachine,
        RuntimeReferences references,
        FieldReference tracer,
        FieldDefinition span,
        FieldDefinition activityField,
        IReadOnlyList<Func<IEnumerable<Instruction>>> startConditions,
        IReadOnlyList<EnterArgument> arguments)
    {
        var module = references.Module;
        var method = stateMachine.AddMethod("Start", module.TypeSystem.Void);
        var body = method.Body;
        var il = body.GetILProcessor();
        var id = BodyEditing.AddLocal(body, module.TypeSystem.Int64);
        var activity = BodyEditing.AddLocal(body, references.Activities.ActivityType);
        var done = Instruction.Create(OpCodes.Ret);

        il.Append(Instruction.Create(OpCodes.Ldarg_0));
        il.Append(Instruction.Create(OpCodes.Ldfld, stateMachine.OnSelf(span)));
        il.Append(Instruction.Create(OpCodes.Brtrue, done));
        il.Append(Instruction.Create(OpCodes.Ldarg_0));
        il.Append(Instruction.Create(OpCodes.Ldfld, stateMachine.OnSelf(activityField)));
        il.Append(Instruction.Create(OpCodes.Brtrue, done));
        foreach (var condition in startConditions)
        {
            foreach (var instruction in condition())
            {
                il.Append(instruction);
            }

            il.Append(Instruction.Create(OpCodes.Brfalse, done));
        }

        foreach (var instruction in Open(body, references, tracer, id, activity, arguments))
        {
            il.Append(instruction);
        }

        il.Append(Instruction.Create(OpCodes.Ldarg_0));
        il.Append(Instruction.Create(OpCodes.Ldloc, id));
        il.Append(Instruction.Create(OpCodes.Stfld, stateMachine.OnSelf(span)));
        il.Append(Instruction.Create(OpCodes.Ldarg_0));
        il.Append(Instruction.Create(OpCodes.Ldloc, activity));
        il.Append(Instruction.Create(OpCodes.Stfld, stateMachine.OnSelf(activityField)));
        il.Append(done);
        body.OptimizeMacros();
        return method;
    }

    /// <summary>
    /// Adds <c>void &lt;&gt;sysdig_Exit(Exception? exception)</c>: closes what is open, once: the sysdig span (id back
    /// to 0, exit tracer with <c>exception=TypeFullName</c> when <paramref name="exception"/> is set) and the Activity
    /// (field back to null, stopped with the exception's status and event).
    /// With <paramref name="exceptionField"/>, the method takes no parameter and uses (and clears) that field.
    /// </summary>
    public static MethodDefinition AddExit(
        StateMachineType stateMachine,
        RuntimeReferences references,
        FieldReference tracer,
        FieldDefinition span,
        FieldDefinition activityField,
        FieldDefinition? exceptionField = null)
    {
        var module = references.Module;
        var method = exceptionField == null
            ? stateMachine.AddMethod("Exit", module.TypeSystem.Void, ("exception", references.ExceptionType))
            : stateMachine.AddMethod("Close", module.TypeSystem.Void);
        var il = method.Body.GetILProcessor();
        Func<Instruction> loadException = () => Instruction.Create(OpCodes.Ldarg_1);
        if (exceptionField != null)
        {
            var exception = BodyEditing.AddLocal(method.Body, references.ExceptionType);
            il.Append(Instruction.Create(OpCodes.Ldarg_0));
            il.Append(Instruction.Create(OpCodes.Ldfld, stateMachine.OnSelf(exceptionField)));
            il.Append(Instruction.Create(OpCodes.Stloc, exception));
            il.Append(Instruction.Create(OpCodes.Ldarg_0));
            il.Append(Instruction.Create(OpCodes.Ldnull));
            il.Append(Instruction.Create(OpCodes.Stfld, stateMachine.OnSelf(exceptionField)));
            loadException = () => Instruction.Create(OpCodes.Ldloc, exception);
        }

        EmitClose(stateMachine, references, method, tracer, span, activityField, loadException(), references.Activities.ExitBoth);
        return method;
    }

    /// <summary>
    /// Adds <c>void &lt;&gt;sysdig_Return(T result)</c>: like <see cref="AddExit"/> for a successful end, in one call
    /// that formats the value once: <c>return=result</c> in the exit tracer, the <c>return</c> tag of the Activity.
    /// </summary>
    public static MethodDefinition AddReturn(
        StateMachineType stateMachine,
        RuntimeReferences references,
        FieldReference tracer,
        FieldDefinition span,
        FieldDefinition activityField,
        TypeReference resultType)
    {
        var method = stateMachine.AddMethod("Return", references.Module.TypeSystem.Void, ("result", resultType));
        EmitClose(
            stateMachine,
            references,
            method,
            tracer,
            span,
            activityField,
            Instruction.Create(OpCodes.Ldarg_1),
            BodyEditing.Generic(references.Activities.ExitBothWithReturn, resultType));
        return method;
    }

    /// <summary>
    /// Adds <c>void &lt;&gt;sysdig_ReturnRedacted()</c>: like <see cref="AddReturn"/> with <c>&lt;redacted&gt;</c> for the
    /// value, which it does not take, so that a secret result is never read (<c>MethodTracer.ExitRedacted</c>).
    /// </summary>
    public static MethodDefinition AddRedactedReturn(
        StateMachineType stateMachine,
        RuntimeReferences references,
        FieldReference tracer,
        FieldDefinition span,
        FieldDefinition activityField)
    {
        var method = stateMachine.AddMethod("ReturnRedacted", references.Module.TypeSystem.Void);
        EmitClose(
            stateMachine,
            references,
            method,
            tracer,
            span,
            activityField,
            Instruction.Create(OpCodes.Ldnull),
            references.Activities.ExitRedacted);
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

    /// <summary>
    /// Appends to <paramref name="method"/> the end of what is open, once: read the id and Activity fields and clear
    /// them; if either was set, <c>F.Exit(id, id &gt; 0, activity, ...)</c> (<paramref name="call"/>, whose last
    /// argument <paramref name="last"/> pushes: the exception, or the returned value after a null exception).
    /// </summary>
    static void EmitClose(
        StateMachineType stateMachine,
        RuntimeReferences references,
        MethodDefinition method,
        FieldReference tracer,
        FieldDefinition span,
        FieldDefinition activityField,
        Instruction last,
        MethodReference call)
    {
        var body = method.Body;
        var il = body.GetILProcessor();
        var id = BodyEditing.AddLocal(body, method.Module.TypeSystem.Int64);
        var activity = BodyEditing.AddLocal(body, references.Activities.ActivityType);
        var done = Instruction.Create(OpCodes.Ret);
        var exit = Instruction.Create(OpCodes.Ldsfld, tracer);
        il.Append(Instruction.Create(OpCodes.Ldarg_0));
        il.Append(Instruction.Create(OpCodes.Ldfld, stateMachine.OnSelf(span)));
        il.Append(Instruction.Create(OpCodes.Stloc, id));
        il.Append(Instruction.Create(OpCodes.Ldarg_0));
        il.Append(Instruction.Create(OpCodes.Ldfld, stateMachine.OnSelf(activityField)));
        il.Append(Instruction.Create(OpCodes.Stloc, activity));
        il.Append(Instruction.Create(OpCodes.Ldarg_0));
        il.Append(Instruction.Create(OpCodes.Ldc_I4_0));
        il.Append(Instruction.Create(OpCodes.Conv_I8));
        il.Append(Instruction.Create(OpCodes.Stfld, stateMachine.OnSelf(span)));
        il.Append(Instruction.Create(OpCodes.Ldarg_0));
        il.Append(Instruction.Create(OpCodes.Ldnull));
        il.Append(Instruction.Create(OpCodes.Stfld, stateMachine.OnSelf(activityField)));
        il.Append(Instruction.Create(OpCodes.Ldloc, id));
        il.Append(Instruction.Create(OpCodes.Brtrue, exit));
        il.Append(Instruction.Create(OpCodes.Ldloc, activity));
        il.Append(Instruction.Create(OpCodes.Brfalse, done));
        il.Append(exit);
        foreach (var instruction in LoadSpan(id, activity))
        {
            il.Append(instruction);
        }
        if (call.Parameters.Count == 5)
        {
            il.Append(Instruction.Create(OpCodes.Ldnull));
        }

        il.Append(last);
        il.Append(Instruction.Create(OpCodes.Callvirt, call));
        il.Append(done);
        body.OptimizeMacros();
    }

    /// <summary>
    /// Pushes what the enter and exit calls of a state machine's span take: the span id, whether a sysdig tracer
    /// was written for it (<c>id &gt; 0</c>), and the Activity (or null).
    /// </summary>
    static IEnumerable<Instruction> LoadSpan(VariableDefinition id, VariableDefinition activity)
    {
        yield return Instruction.Create(OpCodes.Ldloc, id);
        yield return Instruction.Create(OpCodes.Ldloc, id);
        yield return Instruction.Create(OpCodes.Ldc_I4_0);
        yield return Instruction.Create(OpCodes.Conv_I8);
        yield return Instruction.Create(OpCodes.Cgt);
        yield return Instruction.Create(OpCodes.Ldloc, activity);
    }
}
