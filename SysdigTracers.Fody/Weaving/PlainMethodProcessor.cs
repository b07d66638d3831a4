using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;
using SysdigTracers.Fody.Selection;

namespace SysdigTracers.Fody.Weaving;

/// <summary>
/// Weaves a synchronous method in place. The result, in C# terms (<c>F</c> is the method's field in the holder):
/// <code>
/// bool on = Tracer.Enabled;
/// if (on) F.Enter();                       // or: var a = F.BeginEnter(0); a.Add(p1); ...; a.Write();
/// try {
///     try { original body, each return → result = value; ex = null; leave }
///     catch (object o) when ((ex = o as Exception) is var _ &amp;&amp; false) { throw; }   // never catches
/// } finally {
///     if (on) F.Exit(ex);                  // or: F.ExitWithReturn(0, ex, result)
/// }
/// return result;
/// </code>
/// The filter only records the exception: it returns false, so the exception object, its stack trace and the
/// handlers the runtime picks are exactly what they were. For instance constructors, everything before and
/// including the <c>base(...)</c>/<c>this(...)</c> call stays outside the traced region.
/// </summary>
public sealed class PlainMethodProcessor : IMethodProcessor
{
    readonly RuntimeReferences references;
    readonly TracerFieldHolder holder;

    /// <summary>Creates the processor.</summary>
    public PlainMethodProcessor(RuntimeReferences references, TracerFieldHolder holder)
    {
        this.references = references;
        this.holder = holder;
    }

    /// <inheritdoc />
    public void Process(TracingPlan plan)
    {
        var method = plan.Method;
        var module = method.Module;
        var body = method.Body;
        var parameters = TracedValues.Parameters(plan);
        var capturesReturn = TracedValues.CapturesReturnValue(plan);
        var tracer = holder.Add(plan.Tag, parameters.Count > 0 ? parameters.Select(TracedValues.ArgumentName).ToList() : null);

        var debug = new DebugInformationFixer(method);
        body.SimplifyMacros();
        if (!body.HasVariables)
        {
            // The compiler sets localsinit only when there are locals; keep [SkipLocalsInit] methods as they are.
            body.InitLocals = true;
        }

        var instructions = body.Instructions;
        var il = body.GetILProcessor();

        var chainingCall = ConstructorChaining.FindChainingCall(method);
        var regionStart = chainingCall != null ? chainingCall.Next : instructions[0];

        var on = AddLocal(body, module.TypeSystem.Boolean);
        var exception = AddLocal(body, references.ExceptionType);
        var returnType = TracedValues.StripModifiers(method.ReturnType);
        var isVoid = returnType.MetadataType == MetadataType.Void;
        var result = isVoid ? null : AddLocal(body, returnType);

        // Epilogue: the single exit of the method, after the try/finally.
        var epilogue = isVoid ? Instruction.Create(OpCodes.Ret) : Instruction.Create(OpCodes.Ldloc, result);
        RewriteReturns(il, instructions, result, exception, epilogue);

        // Prologue, before the region: read the switch once, write the enter tracer.
        var prologue = new List<Instruction>
        {
            Instruction.Create(OpCodes.Call, references.TracerEnabledGetter),
            Instruction.Create(OpCodes.Dup),
            Instruction.Create(OpCodes.Stloc, on),
            Instruction.Create(OpCodes.Brfalse, regionStart),
        };
        prologue.AddRange(EmitEnter(body, tracer, parameters));
        foreach (var instruction in prologue)
        {
            il.InsertBefore(regionStart, instruction);
        }

        debug.HideFrom(prologue[0]);
        debug.ResumeAt(regionStart);

        // A handler that ends with the method ends at the end of the IL; the code appended below must stay outside.
        var filterStart = Instruction.Create(OpCodes.Isinst, references.ExceptionType);
        il.Append(filterStart);
        foreach (var handler in body.ExceptionHandlers)
        {
            handler.TryEnd ??= filterStart;
            handler.HandlerEnd ??= filterStart;
        }

        il.Append(Instruction.Create(OpCodes.Stloc, exception));
        il.Append(Instruction.Create(OpCodes.Ldc_I4_0));
        il.Append(Instruction.Create(OpCodes.Endfilter));
        var filterHandlerStart = Instruction.Create(OpCodes.Pop);
        il.Append(filterHandlerStart);
        il.Append(Instruction.Create(OpCodes.Rethrow));

        var finallyStart = Instruction.Create(OpCodes.Ldloc, on);
        var endFinally = Instruction.Create(OpCodes.Endfinally);
        il.Append(finallyStart);
        il.Append(Instruction.Create(OpCodes.Brfalse, endFinally));
        foreach (var instruction in EmitExit(tracer, exception, result, returnType, capturesReturn, endFinally))
        {
            il.Append(instruction);
        }

        il.Append(endFinally);
        il.Append(epilogue);
        if (!isVoid)
        {
            il.Append(Instruction.Create(OpCodes.Ret));
        }

        body.ExceptionHandlers.Add(new ExceptionHandler(ExceptionHandlerType.Filter)
        {
            TryStart = regionStart,
            TryEnd = filterStart,
            FilterStart = filterStart,
            HandlerStart = filterHandlerStart,
            HandlerEnd = finallyStart,
        });
        body.ExceptionHandlers.Add(new ExceptionHandler(ExceptionHandlerType.Finally)
        {
            TryStart = regionStart,
            TryEnd = finallyStart,
            HandlerStart = finallyStart,
            HandlerEnd = epilogue,
        });

        debug.HideFrom(filterStart);
        debug.HideFrom(finallyStart);
        debug.HideFrom(epilogue);
        body.OptimizeMacros();
        debug.Apply();
    }

    /// <summary>
    /// Turns every <c>ret</c> into a <c>leave</c> to the epilogue, storing the value first. The <c>ret</c> instruction
    /// object itself is edited, so branches and sequence points that point at it stay valid.
    /// </summary>
    static void RewriteReturns(ILProcessor il, IList<Instruction> instructions, VariableDefinition? result, VariableDefinition exception, Instruction epilogue)
    {
        foreach (var ret in instructions.Where(i => i.OpCode == OpCodes.Ret).ToList())
        {
            var last = ret;
            if (result != null)
            {
                ret.OpCode = OpCodes.Stloc;
                ret.Operand = result;
                last = Instruction.Create(OpCodes.Ldnull);
                il.InsertAfter(ret, last);
            }
            else
            {
                ret.OpCode = OpCodes.Ldnull;
                ret.Operand = null;
            }

            // A normal return clears an exception the filter recorded for an exception that a finally block of this
            // method replaced with one it then caught itself: the method did not end by an exception.
            var store = Instruction.Create(OpCodes.Stloc, exception);
            il.InsertAfter(last, store);
            il.InsertAfter(store, Instruction.Create(OpCodes.Leave, epilogue));
        }
    }

    IEnumerable<Instruction> EmitEnter(MethodBody body, FieldDefinition tracer, List<ParameterDefinition> parameters)
    {
        yield return Instruction.Create(OpCodes.Ldsfld, tracer);
        if (parameters.Count == 0)
        {
            yield return Instruction.Create(OpCodes.Callvirt, references.Enter);
            yield break;
        }

        var args = AddLocal(body, references.TracerArgsType);
        yield return Instruction.Create(OpCodes.Ldc_I4_0);
        yield return Instruction.Create(OpCodes.Conv_I8);
        yield return Instruction.Create(OpCodes.Callvirt, references.BeginEnter);
        yield return Instruction.Create(OpCodes.Stloc, args);
        foreach (var parameter in parameters)
        {
            var declared = TracedValues.StripModifiers(parameter.ParameterType);
            var valueType = TracedValues.ValueType(declared);
            if (declared is ByReferenceType)
            {
                // A ref/in parameter may be a null reference (Unsafe.NullRef): it is written as null, never read.
                var notNull = Instruction.Create(OpCodes.Ldloca, args);
                var added = Instruction.Create(OpCodes.Nop);
                yield return Instruction.Create(OpCodes.Ldarg, parameter);
                yield return Instruction.Create(OpCodes.Brtrue, notNull);
                yield return Instruction.Create(OpCodes.Ldloca, args);
                yield return Instruction.Create(OpCodes.Ldnull);
                yield return Instruction.Create(OpCodes.Call, Generic(references.TracerArgsAdd, body.Method.Module.TypeSystem.Object));
                yield return Instruction.Create(OpCodes.Br, added);
                yield return notNull;
                yield return Instruction.Create(OpCodes.Ldarg, parameter);
                yield return Instruction.Create(OpCodes.Ldobj, valueType);
                yield return Instruction.Create(OpCodes.Call, Generic(references.TracerArgsAdd, valueType));
                yield return added;
                continue;
            }

            yield return Instruction.Create(OpCodes.Ldloca, args);
            yield return Instruction.Create(OpCodes.Ldarg, parameter);
            yield return Instruction.Create(OpCodes.Call, Generic(references.TracerArgsAdd, valueType));
        }

        yield return Instruction.Create(OpCodes.Ldloca, args);
        yield return Instruction.Create(OpCodes.Call, references.TracerArgsWrite);
    }

    IEnumerable<Instruction> EmitExit(
        FieldDefinition tracer,
        VariableDefinition exception,
        VariableDefinition? result,
        TypeReference returnType,
        bool capturesReturn,
        Instruction endFinally)
    {
        if (!capturesReturn || result == null)
        {
            yield return Instruction.Create(OpCodes.Ldsfld, tracer);
            yield return Instruction.Create(OpCodes.Ldloc, exception);
            yield return Instruction.Create(OpCodes.Callvirt, references.Exit);
            yield break;
        }

        var exitWithReturn = Generic(references.ExitWithReturn, TracedValues.ValueType(returnType));
        if (returnType is not ByReferenceType)
        {
            yield return Instruction.Create(OpCodes.Ldsfld, tracer);
            yield return Instruction.Create(OpCodes.Ldc_I4_0);
            yield return Instruction.Create(OpCodes.Conv_I8);
            yield return Instruction.Create(OpCodes.Ldloc, exception);
            yield return Instruction.Create(OpCodes.Ldloc, result);
            yield return Instruction.Create(OpCodes.Callvirt, exitWithReturn);
            yield break;
        }

        // A ref return is only dereferenced when the method returned: after an exception the reference is null.
        // A method may also return a null reference (Unsafe.NullRef): its exit is written without the value.
        var exceptional = Instruction.Create(OpCodes.Ldsfld, tracer);
        yield return Instruction.Create(OpCodes.Ldloc, exception);
        yield return Instruction.Create(OpCodes.Brtrue, exceptional);
        yield return Instruction.Create(OpCodes.Ldloc, result);
        yield return Instruction.Create(OpCodes.Brfalse, exceptional);
        yield return Instruction.Create(OpCodes.Ldsfld, tracer);
        yield return Instruction.Create(OpCodes.Ldc_I4_0);
        yield return Instruction.Create(OpCodes.Conv_I8);
        yield return Instruction.Create(OpCodes.Ldnull);
        yield return Instruction.Create(OpCodes.Ldloc, result);
        yield return Instruction.Create(OpCodes.Ldobj, TracedValues.ValueType(returnType));
        yield return Instruction.Create(OpCodes.Callvirt, exitWithReturn);
        yield return Instruction.Create(OpCodes.Br, endFinally);
        yield return exceptional;
        yield return Instruction.Create(OpCodes.Ldloc, exception);
        yield return Instruction.Create(OpCodes.Callvirt, references.Exit);
    }

    static MethodReference Generic(MethodReference open, TypeReference argument)
    {
        var instance = new GenericInstanceMethod(open);
        instance.GenericArguments.Add(argument);
        return instance;
    }

    static VariableDefinition AddLocal(MethodBody body, TypeReference type)
    {
        var variable = new VariableDefinition(type);
        body.Variables.Add(variable);
        return variable;
    }
}
