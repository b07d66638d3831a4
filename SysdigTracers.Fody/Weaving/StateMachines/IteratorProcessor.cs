using System.Collections.Generic;
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
///     this.&lt;&gt;sysdig_Start();            // only when state == 0 (first call) and no span is open
///     bool result = false;
///     try {
///         try { original body, each return → result = value; &lt;&gt;sysdig_exception = null; leave }
///         catch (object o) when ((&lt;&gt;sysdig_exception = o as Exception) is var _ &amp;&amp; false) { throw; }   // never catches
///     } finally { if (!result) this.&lt;&gt;sysdig_Close(); }
///     return result;
/// }
/// void Dispose() { try { original body } finally { this.&lt;&gt;sysdig_Close(); } }
/// </code>
/// <c>&lt;&gt;sysdig_Close</c> writes the exit only while a span is open and closes it, so the exit is written once:
/// when an exception leaves <c>MoveNext</c>, the compiler's own fault handler calls <c>Dispose</c>, which closes the
/// span with the exception the filter recorded (the filter runs before any fault or finally handler).
/// Each enumerator is its own span: <c>GetEnumerator</c> clones get a span of their own.
/// </summary>
public sealed class IteratorProcessor : IMethodProcessor
{
    const string AttributeName = "System.Runtime.CompilerServices.IteratorStateMachineAttribute";

    readonly StateMachineReferences references;
    readonly TracerFieldHolder holder;
    readonly Diagnostics diagnostics;

    /// <summary>Creates the processor.</summary>
    public IteratorProcessor(StateMachineReferences references, TracerFieldHolder holder, Diagnostics diagnostics)
    {
        this.references = references;
        this.holder = holder;
        this.diagnostics = diagnostics;
    }

    /// <inheritdoc />
    public void Process(TracingPlan plan)
    {
        var stub = plan.Method;
        var stateMachine = StateMachineType.Find(stub, AttributeName, references.Runtime.CompilerGeneratedConstructor);
        var state = stateMachine?.Field("<>1__state");
        var moveNext = stateMachine?.Implementation("System.Collections.IEnumerator", "MoveNext");
        var dispose = stateMachine?.Implementation("System.IDisposable", "Dispose");
        var getEnumerator = stateMachine?.Implementation("System.Collections.Generic.IEnumerable`1", "GetEnumerator");
        var creation = stateMachine == null ? null : EnumeratorArguments.FindCreation(stateMachine);
        var returnsEnumerable = stub.ReturnType.GetElementType().FullName is "System.Collections.Generic.IEnumerable`1" or "System.Collections.IEnumerable";
        if (stateMachine == null || state == null || moveNext == null || dispose == null || creation == null ||
            moveNext.ReturnType.MetadataType != MetadataType.Boolean || (returnsEnumerable && getEnumerator == null))
        {
            diagnostics.Warning(
                $"'{stub.FullName}' is an iterator whose state machine does not have the layout of the C# compiler's " +
                "(a <>1__state field, MoveNext, Dispose and GetEnumerator, created once by the method); it is left untraced.",
                stub);
            return;
        }

        var parameters = TracedValues.Parameters(plan);
        var tracerField = holder.Add(plan.Tag, parameters.Count > 0 ? parameters.Select(TracedValues.ArgumentName).ToList() : null);
        var module = references.Module;
        var span = stateMachine.AddField("span", module.TypeSystem.Int64);
        var exception = stateMachine.AddField("exception", references.Runtime.ExceptionType);
        var arguments = new EnumeratorArguments(stateMachine, parameters);

        var start = SpanCode.AddStart(
            stateMachine,
            references,
            tracerField,
            span,
            new[]
            {
                () => stateMachine.LoadOwnField(state).Concat(new[]
                {
                    Instruction.Create(OpCodes.Ldc_I4_0),
                    Instruction.Create(OpCodes.Ceq),
                }),
            },
            arguments.Arguments);
        var close = stateMachine.OnSelf(SpanCode.AddExit(stateMachine, references, tracerField, span, exception));

        arguments.WeaveStub(creation);
        if (getEnumerator != null)
        {
            arguments.WeaveGetEnumerator(getEnumerator);
        }

        WeaveMoveNext(moveNext, stateMachine.OnSelf(start), close, stateMachine.OnSelf(exception));
        WeaveDispose(dispose, close);
    }

    void WeaveMoveNext(MethodDefinition moveNext, MethodReference start, MethodReference close, FieldReference exception)
    {
        var body = moveNext.Body;
        var debug = new DebugInformationFixer(moveNext);
        body.SimplifyMacros();
        var il = body.GetILProcessor();
        var instructions = body.Instructions;
        var regionStart = instructions[0];
        var result = new VariableDefinition(references.Module.TypeSystem.Boolean);
        body.Variables.Add(result);
        var caught = new VariableDefinition(references.Runtime.ExceptionType);
        body.Variables.Add(caught);

        var epilogue = Instruction.Create(OpCodes.Ldloc, result);
        foreach (var ret in instructions.Where(i => i.OpCode == OpCodes.Ret).ToList())
        {
            ret.OpCode = OpCodes.Stloc;
            ret.Operand = result;
            var code = new[]
            {
                Instruction.Create(OpCodes.Ldarg_0),
                Instruction.Create(OpCodes.Ldnull),
                Instruction.Create(OpCodes.Stfld, exception),
                Instruction.Create(OpCodes.Leave, epilogue),
            };
            var previous = ret;
            foreach (var instruction in code)
            {
                il.InsertAfter(previous, instruction);
                previous = instruction;
            }
        }

        var prologue = new[] { Instruction.Create(OpCodes.Ldarg_0), Instruction.Create(OpCodes.Call, start) };
        foreach (var instruction in prologue)
        {
            il.InsertBefore(regionStart, instruction);
        }

        var filterStart = Instruction.Create(OpCodes.Isinst, references.Runtime.ExceptionType);
        AppendAfterBody(il, body, filterStart);
        il.Append(Instruction.Create(OpCodes.Stloc, caught));
        il.Append(Instruction.Create(OpCodes.Ldarg_0));
        il.Append(Instruction.Create(OpCodes.Ldloc, caught));
        il.Append(Instruction.Create(OpCodes.Stfld, exception));
        il.Append(Instruction.Create(OpCodes.Ldc_I4_0));
        il.Append(Instruction.Create(OpCodes.Endfilter));
        var filterHandlerStart = Instruction.Create(OpCodes.Pop);
        il.Append(filterHandlerStart);
        il.Append(Instruction.Create(OpCodes.Rethrow));

        var finallyStart = Instruction.Create(OpCodes.Ldloc, result);
        var endFinally = Instruction.Create(OpCodes.Endfinally);
        il.Append(finallyStart);
        il.Append(Instruction.Create(OpCodes.Brtrue, endFinally));
        il.Append(Instruction.Create(OpCodes.Ldarg_0));
        il.Append(Instruction.Create(OpCodes.Call, close));
        il.Append(endFinally);
        il.Append(epilogue);
        il.Append(Instruction.Create(OpCodes.Ret));

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

        debug.HideFrom(prologue[0]);
        debug.ResumeAt(regionStart);
        debug.HideFrom(filterStart);
        debug.HideFrom(finallyStart);
        debug.HideFrom(epilogue);
        body.OptimizeMacros();
        debug.Apply();
    }

    void WeaveDispose(MethodDefinition dispose, MethodReference close)
    {
        var body = dispose.Body;
        var debug = new DebugInformationFixer(dispose);
        body.SimplifyMacros();
        var il = body.GetILProcessor();
        var instructions = body.Instructions;
        var regionStart = instructions[0];
        var epilogue = Instruction.Create(OpCodes.Ret);
        foreach (var ret in instructions.Where(i => i.OpCode == OpCodes.Ret).ToList())
        {
            ret.OpCode = OpCodes.Leave;
            ret.Operand = epilogue;
        }

        var finallyStart = Instruction.Create(OpCodes.Ldarg_0);
        AppendAfterBody(il, body, finallyStart);
        il.Append(Instruction.Create(OpCodes.Call, close));
        il.Append(Instruction.Create(OpCodes.Endfinally));
        il.Append(epilogue);
        body.ExceptionHandlers.Add(new ExceptionHandler(ExceptionHandlerType.Finally)
        {
            TryStart = regionStart,
            TryEnd = finallyStart,
            HandlerStart = finallyStart,
            HandlerEnd = epilogue,
        });

        debug.HideFrom(finallyStart);
        debug.HideFrom(epilogue);
        body.OptimizeMacros();
        debug.Apply();
    }

    /// <summary>Appends the first instruction after the original body; handlers that ended with the body end there.</summary>
    static void AppendAfterBody(ILProcessor il, MethodBody body, Instruction first)
    {
        il.Append(first);
        foreach (var handler in body.ExceptionHandlers)
        {
            handler.TryEnd ??= first;
            handler.HandlerEnd ??= first;
        }
    }
}
