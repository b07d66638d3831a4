using System.Collections.Generic;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;
using SysdigTracers.Fody.Selection;

namespace SysdigTracers.Fody.Weaving;

/// <summary>
/// Weaves a synchronous method in place. The result, in C# terms (<c>F</c> is the method's field in the holder):
/// <code>
/// object? act = F.Start(out bool on);       // inlined: on = Tracer.Enabled; the Activity (null unless something listens
///                                           // to the assembly's source); a span over the method's budget: null, and
///                                           // on = false; if (on) the enter tracer
/// // with up to four enter arguments, read by value: object? act = F.Start(out bool on, p1, ...);
/// //     inlined the same way, the arguments written and tagged only when a sink takes the call
/// // with more, or one read through a reference, or a redacted one:
/// //     bool on = Tracer.Enabled; object? act = F.StartActivity(ref on);
/// //     if (on || act != null) { var a = F.BeginEnter(0, on, act); a.Add(p1); ...; a.Write(); }
/// try {
///     try { original body, each return → result = value; ex = null; leave }
///     catch (object o) when ((ex = o as Exception) is var _ &amp;&amp; false) { throw o; }   // never catches
/// } finally {
///     F.End(on, act, ex);                   // inlined: if (on || act != null) F.Exit(0, on, act, ex)
///     // with ReturnValue, one call formats the value once for both: F.End(on, act, ex, result), inlined:
///     // if (on || act != null) F.ExitWithReturn(0, on, act, ex, result); a ref return is tested and read in the finally
/// }
/// return result;
/// </code>
/// The filter only records the exception: it returns false, so the exception object, its stack trace and the
/// handlers the runtime picks are exactly what they were. The shape keeps a small method inlinable by the JIT
/// (docs/inlining.md). For instance constructors, everything before and including the <c>base(...)</c>/<c>this(...)</c>
/// call stays outside the traced region.
/// </summary>
internal sealed class PlainMethodProcessor : IMethodProcessor
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
        var parameters = TracedValues.Parameters(plan);
        var capturesReturn = TracedValues.CapturesReturnValue(plan);
        var redactsReturn = capturesReturn && TracedValues.IsReturnRedacted(plan);
        var tracer = holder.Add(plan, parameters);

        BodyEditing.Edit(method, (body, debug) =>
        {
            if (!body.HasVariables)
            {
                // The compiler sets localsinit only when there are locals; keep [SkipLocalsInit] methods as they are.
                body.InitLocals = true;
            }

            var chainingCall = ConstructorChaining.FindChainingCall(method);
            var regionStart = chainingCall != null ? chainingCall.Next : body.Instructions[0];

            var activities = references.Activities;
            var activity = BodyEditing.AddLocal(body, activities.ActivityType);
            var on = BodyEditing.AddLocal(body, module.TypeSystem.Boolean);
            var exception = BodyEditing.AddLocal(body, references.ExceptionType);
            var returnType = TracedValues.StripModifiers(method.ReturnType);
            var isVoid = returnType.MetadataType == MetadataType.Void;
            var result = isVoid ? null : BodyEditing.AddLocal(body, returnType);

            // Epilogue: the single exit of the method, after the try/finally.
            var epilogue = isVoid
                ? new[] { Instruction.Create(OpCodes.Ret) }
                : new[] { Instruction.Create(OpCodes.Ldloc, result), Instruction.Create(OpCodes.Ret) };
            ProtectedRegion.RewriteReturns(
                body,
                result,
                () => new[] { Instruction.Create(OpCodes.Ldnull), Instruction.Create(OpCodes.Stloc, exception) },
                epilogue[0]);

            // Prologue, before the region: read the switch once, decide the span and start the Activity, write the enter tracer.
            BodyEditing.Inject(body, regionStart, new List<Instruction>(EmitEnter(plan, tracer, parameters, on, activity, regionStart)), debug);

            var endFinally = Instruction.Create(OpCodes.Endfinally);
            var finallyBlock = new List<Instruction>();
            if (capturesReturn && !redactsReturn && result != null && returnType is ByReferenceType)
            {
                var exit = Instruction.Create(OpCodes.Nop);
                finallyBlock.Add(Instruction.Create(OpCodes.Ldloc, on));
                finallyBlock.Add(Instruction.Create(OpCodes.Brtrue, exit));
                finallyBlock.Add(Instruction.Create(OpCodes.Ldloc, activity));
                finallyBlock.Add(Instruction.Create(OpCodes.Brfalse, endFinally));
                finallyBlock.Add(exit);
                finallyBlock.AddRange(EmitRefReturnExit(activities, tracer, on, activity, exception, result, returnType, endFinally));
            }
            else
            {
                finallyBlock.Add(Instruction.Create(OpCodes.Ldsfld, tracer));
                finallyBlock.Add(Instruction.Create(OpCodes.Ldloc, on));
                finallyBlock.Add(Instruction.Create(OpCodes.Ldloc, activity));
                finallyBlock.Add(Instruction.Create(OpCodes.Ldloc, exception));
                if (redactsReturn)
                {
                    // The value is never read.
                    finallyBlock.Add(Instruction.Create(OpCodes.Callvirt, activities.EndRedacted));
                }
                else if (capturesReturn && result != null)
                {
                    // The value is formatted once for both sinks.
                    finallyBlock.Add(Instruction.Create(OpCodes.Ldloc, result));
                    finallyBlock.Add(Instruction.Create(OpCodes.Callvirt, BodyEditing.Generic(activities.EndWithReturn, returnType)));
                }
                else
                {
                    finallyBlock.Add(Instruction.Create(OpCodes.Callvirt, activities.End));
                }
            }

            finallyBlock.Add(endFinally);
            var filter = ProtectedRegion.AppendFilterAndFinally(
                body,
                regionStart,
                references.ExceptionType,
                new[] { Instruction.Create(OpCodes.Stloc, exception) },
                finallyBlock,
                epilogue,
                debug);
            JitInlining.KeepLargeMethodOutOfLine(body, filter);
        });
    }

    IEnumerable<Instruction> EmitEnter(
        TracingPlan plan,
        FieldDefinition tracer,
        List<ParameterDefinition> parameters,
        VariableDefinition on,
        VariableDefinition activity,
        Instruction skip)
    {
        var activities = references.Activities;
        if (parameters.Count == 0)
        {
            yield return Instruction.Create(OpCodes.Ldsfld, tracer);
            yield return Instruction.Create(OpCodes.Ldloca, on);
            yield return Instruction.Create(OpCodes.Callvirt, activities.Start);
            yield return Instruction.Create(OpCodes.Stloc, activity);
            yield break;
        }

        if (parameters.Count <= ActivityReferences.MaxStartArguments &&
            parameters.TrueForAll(p => TracedValues.StripModifiers(p.ParameterType) is not ByReferenceType && !TracedValues.IsRedacted(plan, p)))
        {
            yield return Instruction.Create(OpCodes.Ldsfld, tracer);
            yield return Instruction.Create(OpCodes.Ldloca, on);
            foreach (var parameter in parameters)
            {
                yield return Instruction.Create(OpCodes.Ldarg, parameter);
            }

            var start = BodyEditing.Generic(
                activities.StartWithArguments[parameters.Count - 1],
                parameters.ConvertAll(p => TracedValues.ValueType(p.ParameterType)).ToArray());
            yield return Instruction.Create(OpCodes.Callvirt, start);
            yield return Instruction.Create(OpCodes.Stloc, activity);
            yield break;
        }

        yield return Instruction.Create(OpCodes.Call, references.TracerEnabledGetter);
        yield return Instruction.Create(OpCodes.Stloc, on);
        yield return Instruction.Create(OpCodes.Ldsfld, tracer);
        yield return Instruction.Create(OpCodes.Ldloca, on);
        yield return Instruction.Create(OpCodes.Callvirt, activities.StartActivity);
        yield return Instruction.Create(OpCodes.Stloc, activity);

        // The arguments are read when either sink takes them.
        var enter = Instruction.Create(OpCodes.Ldsfld, tracer);
        yield return Instruction.Create(OpCodes.Ldloc, on);
        yield return Instruction.Create(OpCodes.Brtrue, enter);
        yield return Instruction.Create(OpCodes.Ldloc, activity);
        yield return Instruction.Create(OpCodes.Brfalse, skip);
        yield return enter;
        yield return Instruction.Create(OpCodes.Ldc_I4_0);
        yield return Instruction.Create(OpCodes.Conv_I8);
        yield return Instruction.Create(OpCodes.Ldloc, on);
        yield return Instruction.Create(OpCodes.Ldloc, activity);
        var arguments = new List<EnterArgument>(parameters.Count);
        foreach (var parameter in parameters)
        {
            var byReference = TracedValues.StripModifiers(parameter.ParameterType) is ByReferenceType;
            arguments.Add(new EnterArgument(
                TracedValues.ValueType(parameter.ParameterType),
                () => LoadArgument(parameter),
                byReference ? () => new[] { Instruction.Create(OpCodes.Ldarg, parameter) } : null,
                TracedValues.IsRedacted(plan, parameter)));
        }

        foreach (var instruction in TracerArgsCode.BeginEnter(plan.Method.Body, references, arguments, activities.BeginEnter))
        {
            yield return instruction;
        }
    }

    /// <summary>Pushes the value of a parameter (dereferenced when it is passed by reference).</summary>
    static IEnumerable<Instruction> LoadArgument(ParameterDefinition parameter)
    {
        var declared = TracedValues.StripModifiers(parameter.ParameterType);
        yield return Instruction.Create(OpCodes.Ldarg, parameter);
        if (declared is ByReferenceType)
        {
            yield return Instruction.Create(OpCodes.Ldobj, TracedValues.ValueType(declared));
        }
    }

    /// <summary>
    /// Both sinks' end of a call whose <c>ref</c> return value is written: <c>F.ExitWithReturn(0, on, act, null, result)</c>
    /// with the value read through the reference, or <c>F.Exit(0, on, act, ex)</c> after an exception or for a null
    /// reference.
    /// </summary>
    static IEnumerable<Instruction> EmitRefReturnExit(
        ActivityReferences activities,
        FieldReference tracer,
        VariableDefinition on,
        VariableDefinition activity,
        VariableDefinition exception,
        VariableDefinition result,
        TypeReference returnType,
        Instruction done)
    {
        // What precedes the exception in both calls: the tracer, span id 0 (the thread), the switch and the Activity.
        IEnumerable<Instruction> Load() => new[]
        {
            Instruction.Create(OpCodes.Ldsfld, tracer),
            Instruction.Create(OpCodes.Ldc_I4_0),
            Instruction.Create(OpCodes.Conv_I8),
            Instruction.Create(OpCodes.Ldloc, on),
            Instruction.Create(OpCodes.Ldloc, activity),
        };

        var exitWithReturn = BodyEditing.Generic(activities.ExitBothWithReturn, TracedValues.ValueType(returnType));
        // A ref return is only dereferenced when the method returned: after an exception the reference is null.
        // A method may also return a null reference (Unsafe.NullRef): its exit is written without the value.
        var exceptional = new List<Instruction>(Load());
        yield return Instruction.Create(OpCodes.Ldloc, exception);
        yield return Instruction.Create(OpCodes.Brtrue, exceptional[0]);
        yield return Instruction.Create(OpCodes.Ldloc, result);
        yield return Instruction.Create(OpCodes.Brfalse, exceptional[0]);
        foreach (var instruction in Load())
        {
            yield return instruction;
        }

        yield return Instruction.Create(OpCodes.Ldnull);
        yield return Instruction.Create(OpCodes.Ldloc, result);
        yield return Instruction.Create(OpCodes.Ldobj, TracedValues.ValueType(returnType));
        yield return Instruction.Create(OpCodes.Callvirt, exitWithReturn);
        yield return Instruction.Create(OpCodes.Br, done);
        foreach (var instruction in exceptional)
        {
            yield return instruction;
        }

        yield return Instruction.Create(OpCodes.Ldloc, exception);
        yield return Instruction.Create(OpCodes.Callvirt, activities.ExitBoth);
    }
}
