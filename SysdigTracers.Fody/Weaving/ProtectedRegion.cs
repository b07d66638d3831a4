using System.Collections.Generic;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace SysdigTracers.Fody.Weaving;

/// <summary>
/// Wraps the rest of a method body in the region that writes the exit tracer, in C# terms:
/// <code>
/// try {
///     try { body, each return → [result = value;] clear the recorded exception; leave epilogue }
///     catch (object o) when (record(o as Exception) &amp;&amp; false) { throw o; }   // never catches
/// } finally { exit code }
/// epilogue: [return result;]
/// </code>
/// The filter only records the exception: it returns false, so the exception object, its stack trace and the
/// handlers the runtime picks are exactly what they were. Without a recording, the region is a plain
/// <c>try/finally</c>.
/// </summary>
internal static class ProtectedRegion
{
    /// <summary>
    /// Turns every <c>ret</c> into a <c>leave</c> to <paramref name="epilogue"/>: the value is stored into
    /// <paramref name="result"/> first (when there is one), then <paramref name="clearException"/> runs (a normal
    /// return forgets an exception the filter recorded for an exception a finally block of the body replaced and then
    /// caught itself). The <c>ret</c> instruction object itself is edited, so branches and sequence points that point
    /// at it stay valid.
    /// </summary>
    public static void RewriteReturns(
        MethodBody body,
        VariableDefinition? result,
        System.Func<IEnumerable<Instruction>> clearException,
        Instruction epilogue) =>
        BodyEditing.ReplaceReturns(body, _ =>
        {
            var code = new List<Instruction>();
            if (result != null)
            {
                code.Add(Instruction.Create(OpCodes.Stloc, result));
            }

            code.AddRange(clearException());
            code.Add(Instruction.Create(OpCodes.Leave, epilogue));
            return code;
        });

    /// <summary>
    /// Appends, after the original body, the filter, <paramref name="finallyBlock"/> (ending with <c>endfinally</c>)
    /// and <paramref name="epilogue"/>; registers the handlers of the region that starts at
    /// <paramref name="regionStart"/> after the body's own (outer handlers come last) and hides the appended code from
    /// debuggers. <paramref name="recordException"/> consumes the thrown object as an <paramref name="exceptionType"/>
    /// (null when it is not one). Returns the filter's handler, whose never-entered handler code is a single
    /// <c>throw</c> (see <see cref="JitInlining"/>).
    /// </summary>
    public static ExceptionHandler AppendFilterAndFinally(
        MethodBody body,
        Instruction regionStart,
        TypeReference exceptionType,
        IEnumerable<Instruction> recordException,
        IReadOnlyList<Instruction> finallyBlock,
        IReadOnlyList<Instruction> epilogue,
        DebugInformationFixer debug)
    {
        var filterStart = Instruction.Create(OpCodes.Isinst, exceptionType);
        // The handler is never entered (the filter returns false). It is a `throw` and not a `rethrow` because the JIT
        // does not inline a method that contains `rethrow` (JitInlining).
        var filterHandlerStart = Instruction.Create(OpCodes.Throw);
        AppendAfterBody(body, filterStart);
        BodyEditing.Append(body, recordException);
        BodyEditing.Append(body, new[]
        {
            Instruction.Create(OpCodes.Ldc_I4_0),
            Instruction.Create(OpCodes.Endfilter),
            filterHandlerStart,
        });
        BodyEditing.Append(body, finallyBlock);
        var filter = new ExceptionHandler(ExceptionHandlerType.Filter)
        {
            TryStart = regionStart,
            TryEnd = filterStart,
            FilterStart = filterStart,
            HandlerStart = filterHandlerStart,
            HandlerEnd = finallyBlock[0],
        };
        body.ExceptionHandlers.Add(filter);
        debug.HideFrom(filterStart);
        AppendFinallyHandler(body, regionStart, finallyBlock[0], epilogue, debug);
        return filter;
    }

    /// <summary>Like <see cref="AppendFilterAndFinally"/> without the filter: a plain <c>try/finally</c>.</summary>
    public static void AppendFinally(
        MethodBody body,
        Instruction regionStart,
        IReadOnlyList<Instruction> finallyBlock,
        IReadOnlyList<Instruction> epilogue,
        DebugInformationFixer debug)
    {
        AppendAfterBody(body, finallyBlock[0]);
        for (var i = 1; i < finallyBlock.Count; i++)
        {
            body.Instructions.Add(finallyBlock[i]);
        }

        AppendFinallyHandler(body, regionStart, finallyBlock[0], epilogue, debug);
    }

    static void AppendFinallyHandler(
        MethodBody body,
        Instruction regionStart,
        Instruction finallyStart,
        IReadOnlyList<Instruction> epilogue,
        DebugInformationFixer debug)
    {
        BodyEditing.Append(body, epilogue);
        body.ExceptionHandlers.Add(new ExceptionHandler(ExceptionHandlerType.Finally)
        {
            TryStart = regionStart,
            TryEnd = finallyStart,
            HandlerStart = finallyStart,
            HandlerEnd = epilogue[0],
        });

        debug.HideFrom(finallyStart);
        debug.HideFrom(epilogue[0]);
    }

    /// <summary>Appends the first instruction after the original body; handlers that ended with the body end there.</summary>
    static void AppendAfterBody(MethodBody body, Instruction first)
    {
        body.Instructions.Add(first);
        foreach (var handler in body.ExceptionHandlers)
        {
            handler.TryEnd ??= first;
            handler.HandlerEnd ??= first;
        }
    }
}
