using System.Linq;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;

namespace SysdigTracers.Fody.Weaving;

/// <summary>
/// Which woven synchronous methods the JIT may inline into their callers. The JIT never inlines a method that
/// contains <c>rethrow</c>, and the never-entered handler of the woven filter is written as <c>throw</c> so that a
/// small woven method stays inlinable, as it was before weaving. A large one gets <c>rethrow</c> back and stays out of
/// line: the JIT inlines methods over <see cref="MaxInlineeCodeSize"/> bytes of IL only when they are marked
/// <c>AggressiveInlining</c>, and inlining such a method together with its exception handling into a large caller
/// costs the JIT seconds to minutes for that one caller (docs/inlining.md).
/// </summary>
internal static class JitInlining
{
    /// <summary>The largest method, in bytes of IL, that the JIT inlines on its own judgement.</summary>
    public const int MaxInlineeCodeSize = 100;

    /// <summary>
    /// When <paramref name="body"/> is over <see cref="MaxInlineeCodeSize"/>, turns the never-entered handler of
    /// <paramref name="filter"/> (a single <c>throw</c>) into <c>pop; rethrow</c>. The size is the one the JIT sees,
    /// with the short instruction forms; the body is given back with the long ones, as <see cref="BodyEditing.Edit"/>
    /// edits it.
    /// </summary>
    public static void KeepLargeMethodOutOfLine(MethodBody body, ExceptionHandler filter)
    {
        body.OptimizeMacros();
        var size = body.Instructions.Sum(i => i.GetSize());
        body.SimplifyMacros();
        if (size <= MaxInlineeCodeSize)
        {
            return;
        }

        // The handler's first instruction stays the same object, so the handler table and the debug information
        // that refer to it stay valid.
        var handlerStart = filter.HandlerStart;
        handlerStart.OpCode = OpCodes.Pop;
        body.GetILProcessor().InsertAfter(handlerStart, Instruction.Create(OpCodes.Rethrow));
    }
}
