using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;

namespace SysdigTracers.Fody.Weaving;

/// <summary>
/// Which woven synchronous methods the JIT may inline into their callers. The JIT never inlines a method that
/// contains <c>rethrow</c>, and the never-entered handler of the woven filter is written as <c>throw</c> so that a
/// woven method stays inlinable wherever the JIT would inline it unwoven: on its own judgement up to
/// <see cref="MaxInlineeCodeSize"/> bytes of IL, and at hot call sites with profile data (dynamic PGO) well beyond.
/// A method marked <c>AggressiveInlining</c> that is over that size once woven gets <c>rethrow</c> back and stays out of
/// line: the JIT inlines such a method wherever it is called, and inlining it together with its exception handling
/// into a large caller costs the JIT seconds to minutes for that one caller (docs/inlining.md).
/// </summary>
internal static class JitInlining
{
    /// <summary>The largest method, in bytes of IL, that the JIT inlines on its own judgement without profile data.</summary>
    public const int MaxInlineeCodeSize = 100;

    /// <summary>
    /// When <paramref name="method"/> is marked <c>AggressiveInlining</c> and its woven body is over
    /// <see cref="MaxInlineeCodeSize"/>, turns the never-entered handler of <paramref name="filter"/> (a single
    /// <c>throw</c>) into <c>pop; rethrow</c>. The size is the one the JIT sees, with the short instruction forms; the
    /// body is given back with the long ones, as <see cref="BodyEditing.Edit"/> edits it.
    /// </summary>
    public static void KeepLargeForcedInlineeOutOfLine(MethodDefinition method, ExceptionHandler filter)
    {
        if ((method.ImplAttributes & MethodImplAttributes.AggressiveInlining) == 0)
        {
            return;
        }

        var body = method.Body;
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
