using Mono.Cecil;
using Mono.Cecil.Cil;

namespace SysdigTracers.Fody.Weaving;

/// <summary>Evaluation stack depth after one instruction, enough to follow the argument list of a call.</summary>
internal static class StackEffect
{
    /// <summary>The stack depth after <paramref name="instruction"/> runs on a stack of depth <paramref name="depth"/>.</summary>
    public static int After(Instruction instruction, int depth)
    {
        var opCode = instruction.OpCode;
        if (opCode.StackBehaviourPop == StackBehaviour.PopAll)
        {
            return 0;
        }

        depth -= Popped(instruction);
        depth += Pushed(instruction);
        return depth < 0 ? 0 : depth;
    }

    static int Popped(Instruction instruction)
    {
        switch (instruction.OpCode.StackBehaviourPop)
        {
            case StackBehaviour.Pop0:
                return 0;
            case StackBehaviour.Pop1:
            case StackBehaviour.Popi:
            case StackBehaviour.Popref:
                return 1;
            case StackBehaviour.Pop1_pop1:
            case StackBehaviour.Popi_pop1:
            case StackBehaviour.Popi_popi:
            case StackBehaviour.Popi_popi8:
            case StackBehaviour.Popi_popr4:
            case StackBehaviour.Popi_popr8:
            case StackBehaviour.Popref_pop1:
            case StackBehaviour.Popref_popi:
                return 2;
            case StackBehaviour.Popi_popi_popi:
            case StackBehaviour.Popref_popi_popi:
            case StackBehaviour.Popref_popi_popi8:
            case StackBehaviour.Popref_popi_popr4:
            case StackBehaviour.Popref_popi_popr8:
            case StackBehaviour.Popref_popi_popref:
                return 3;
            case StackBehaviour.Varpop:
                return VariablePop(instruction);
            default:
                return 0;
        }
    }

    static int VariablePop(Instruction instruction)
    {
        switch (instruction.Operand)
        {
            case MethodReference method when instruction.OpCode.Code == Code.Newobj:
                return method.Parameters.Count;
            case MethodReference method:
                return method.Parameters.Count + (method.HasThis && !method.ExplicitThis ? 1 : 0);
            case CallSite site:
                return site.Parameters.Count + (site.HasThis && !site.ExplicitThis ? 1 : 0) + 1;
            default:
                return 0;
        }
    }

    static int Pushed(Instruction instruction)
    {
        switch (instruction.OpCode.StackBehaviourPush)
        {
            case StackBehaviour.Push0:
                return 0;
            case StackBehaviour.Push1_push1:
                return 2;
            case StackBehaviour.Varpush:
                return instruction.Operand switch
                {
                    MethodReference when instruction.OpCode.Code == Code.Newobj => 1,
                    MethodReference method => method.ReturnType.MetadataType == MetadataType.Void ? 0 : 1,
                    CallSite site => site.ReturnType.MetadataType == MetadataType.Void ? 0 : 1,
                    _ => 0,
                };
            default:
                return 1;
        }
    }
}
