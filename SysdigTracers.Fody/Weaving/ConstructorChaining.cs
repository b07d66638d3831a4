using Mono.Cecil;
using Mono.Cecil.Cil;

namespace SysdigTracers.Fody.Weaving;

/// <summary>
/// Finds the <c>base(...)</c>/<c>this(...)</c> call of an instance constructor: the traced region starts after it,
/// since the object does not exist before (field initialisers run before that call, and are not traced).
/// </summary>
internal static class ConstructorChaining
{
    /// <summary>
    /// The chaining call of <paramref name="constructor"/>, or <see langword="null"/> (struct constructors that do
    /// not chain to <c>this(...)</c>, static constructors, <c>System.Object</c>).
    /// </summary>
    /// <remarks>
    /// The call must target a constructor of the declaring type or its base type and be made on <c>ldarg.0</c>:
    /// a struct field initialiser or a local (<c>ldflda</c>/<c>ldloca</c> + <c>call .ctor</c>) also calls constructors,
    /// and <c>this = new S(...)</c> in a struct constructor compiles to <c>ldarg.0</c> + <c>call S::.ctor</c> in the
    /// middle of the body, which is why a struct's <c>this(...)</c> is only accepted as the very first statement.
    /// </remarks>
    public static Instruction? FindChainingCall(MethodDefinition constructor)
    {
        if (!constructor.IsConstructor || constructor.IsStatic || !constructor.HasBody)
        {
            return null;
        }

        var type = constructor.DeclaringType;
        var isValueType = type.IsValueType;
        var instructions = constructor.Body.Instructions;
        var depths = new int?[instructions.Count];
        var indexOf = new System.Collections.Generic.Dictionary<Instruction, int>();
        for (var i = 0; i < instructions.Count; i++)
        {
            indexOf[instructions[i]] = i;
        }

        var depth = 0;
        var lastEmptyStackIndex = -1;
        for (var i = 0; i < instructions.Count; i++)
        {
            var instruction = instructions[i];
            if (depths[i] is { } known)
            {
                depth = known;
            }

            if (depth == 0)
            {
                lastEmptyStackIndex = i;
            }

            if (instruction.OpCode.Code == Code.Call &&
                instruction.Operand is MethodReference { Name: ".ctor" } callee &&
                IsOwnOrBase(callee.DeclaringType, type) &&
                depth == callee.Parameters.Count + 1 &&
                lastEmptyStackIndex >= 0 &&
                IsLoadThis(instructions[lastEmptyStackIndex], constructor))
            {
                if (!isValueType || IsFirstStatement(instructions, lastEmptyStackIndex))
                {
                    return instruction;
                }
            }

            if (instruction.OpCode.FlowControl == FlowControl.Return ||
                constructor.Body.HasExceptionHandlers && IsHandlerBoundary(constructor.Body, instruction))
            {
                // Constructor chaining never follows a protected region or a return: stop looking. A throw may
                // precede it (a switch expression arm or `?? throw` in the arguments): it only ends a block.
                return null;
            }

            depth = StackEffect.After(instruction, depth);
            switch (instruction.Operand)
            {
                case Instruction target when indexOf.TryGetValue(target, out var t):
                    depths[t] ??= depth;
                    break;
                case Instruction[] targets:
                    foreach (var target in targets)
                    {
                        if (indexOf.TryGetValue(target, out var ti))
                        {
                            depths[ti] ??= depth;
                        }
                    }

                    break;
            }

            if (instruction.OpCode.FlowControl is FlowControl.Branch or FlowControl.Throw)
            {
                depth = 0;
            }
        }

        return null;
    }

    static bool IsHandlerBoundary(MethodBody body, Instruction instruction)
    {
        foreach (var handler in body.ExceptionHandlers)
        {
            if (handler.TryStart == instruction)
            {
                return true;
            }
        }

        return false;
    }

    static bool IsOwnOrBase(TypeReference callee, TypeDefinition type)
    {
        var calleeType = callee.Resolve();
        return calleeType != null && (calleeType == type || calleeType == type.BaseType?.Resolve());
    }

    static bool IsLoadThis(Instruction instruction, MethodDefinition constructor) =>
        instruction.OpCode.Code switch
        {
            Code.Ldarg_0 => true,
            Code.Ldarg or Code.Ldarg_S => instruction.Operand == constructor.Body.ThisParameter,
            _ => false,
        };

    static bool IsFirstStatement(Mono.Collections.Generic.Collection<Instruction> instructions, int index)
    {
        for (var i = 0; i < index; i++)
        {
            if (instructions[i].OpCode.Code != Code.Nop)
            {
                return false;
            }
        }

        return true;
    }
}
