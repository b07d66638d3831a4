using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Collections.Generic;

namespace SysdigTracers.Fody.Selection;

/// <summary>
/// Which methods broad selection (a type, a namespace rule, the assembly) leaves out unless <c>TraceTrivialMethods</c>
/// is on: a body of at most <see cref="MaxCodeSize"/> bytes of IL without calls (<c>call</c>, <c>callvirt</c>,
/// <c>calli</c>, <c>newobj</c>, <c>jmp</c>), without loops (a branch to an earlier instruction) and without exception
/// handlers; and any method marked <c>[MethodImpl(MethodImplOptions.AggressiveInlining)]</c>. The first kind (a field
/// getter or setter, an arithmetic helper) does a few instructions of work; the second is what its author asks the JIT
/// to fold into every caller, a hot helper such as a tokenizer's character test. Tracing either would cost two system
/// calls per call, and woven, the second brings its exception handlers into the loops of its callers
/// (docs/inlining.md).
/// </summary>
internal static class TrivialMethods
{
    /// <summary>The largest body, in bytes of IL, that can be trivial.</summary>
    public const int MaxCodeSize = 64;

    /// <summary>Whether <paramref name="method"/> is trivial.</summary>
    public static bool IsTrivial(MethodDefinition method)
    {
        if (!method.HasBody)
        {
            return false;
        }

        if ((method.ImplAttributes & MethodImplAttributes.AggressiveInlining) != 0)
        {
            return true;
        }

        var body = method.Body;
        if (body.HasExceptionHandlers || MethodCodeSize.OfBody(body) > MaxCodeSize)
        {
            return false;
        }

        var instructions = body.Instructions;
        for (var index = 0; index < instructions.Count; index++)
        {
            if (IsCall(instructions[index].OpCode) || IsBackwardBranch(instructions, index))
            {
                return false;
            }
        }

        return true;
    }

    static bool IsCall(OpCode opCode) =>
        opCode.Code is Code.Call or Code.Callvirt or Code.Calli or Code.Newobj or Code.Jmp;

    // By position, not Offset: an instruction that a weaver listed before this one inserted has the offset 0.
    static bool IsBackwardBranch(Collection<Instruction> instructions, int index) => instructions[index].Operand switch
    {
        Instruction target => instructions.IndexOf(target) <= index,
        Instruction[] targets => targets.Any(t => instructions.IndexOf(t) <= index),
        _ => false,
    };
}
