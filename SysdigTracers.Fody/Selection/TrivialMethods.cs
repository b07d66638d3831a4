using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;

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

        return body.Instructions.All(i => !IsCall(i.OpCode) && !IsBackwardBranch(i));
    }

    static bool IsCall(OpCode opCode) =>
        opCode.Code is Code.Call or Code.Callvirt or Code.Calli or Code.Newobj or Code.Jmp;

    static bool IsBackwardBranch(Instruction instruction) => instruction.Operand switch
    {
        Instruction target => target.Offset <= instruction.Offset,
        Instruction[] targets => targets.Any(t => t.Offset <= instruction.Offset),
        _ => false,
    };
}
