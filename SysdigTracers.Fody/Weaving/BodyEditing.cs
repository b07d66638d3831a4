using System;
using System.Collections.Generic;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;
using Mono.Collections.Generic;

namespace SysdigTracers.Fody.Weaving;

/// <summary>
/// The one door for editing an existing method body, and the small edits every processor makes inside it. Runs of
/// instructions are inserted through the instruction collection at an index found once (<c>ILProcessor.InsertAfter</c>
/// looks its anchor up again for every instruction).
/// </summary>
internal static class BodyEditing
{
    /// <summary>
    /// Edits the body of <paramref name="method"/>: captures its debug information, expands the short branch forms,
    /// runs <paramref name="edit"/>, picks the short forms again and rewrites the debug information. The order matters:
    /// the sequence points are matched to instructions by their original offsets (before any change), and the debug
    /// information is rewritten once the instructions are final.
    /// </summary>
    public static void Edit(MethodDefinition method, Action<MethodBody, DebugInformationFixer> edit)
    {
        var body = method.Body;
        var debug = new DebugInformationFixer(method);
        body.SimplifyMacros();
        edit(body, debug);
        body.OptimizeMacros();
        debug.Apply();
    }

    /// <summary>Adds a local variable of <paramref name="type"/> to <paramref name="body"/>.</summary>
    public static VariableDefinition AddLocal(MethodBody body, TypeReference type)
    {
        var variable = new VariableDefinition(type);
        body.Variables.Add(variable);
        return variable;
    }

    /// <summary><paramref name="open"/> instantiated with <paramref name="arguments"/>, in the order of its type parameters.</summary>
    public static MethodReference Generic(MethodReference open, params TypeReference[] arguments)
    {
        var instance = new GenericInstanceMethod(open);
        foreach (var argument in arguments)
        {
            instance.GenericArguments.Add(argument);
        }

        return instance;
    }

    /// <summary>
    /// Inserts injected <paramref name="code"/> right before the original instruction <paramref name="before"/>: the
    /// injected code is hidden from debuggers and <paramref name="before"/> keeps the line it had.
    /// </summary>
    public static void Inject(MethodBody body, Instruction before, IReadOnlyList<Instruction> code, DebugInformationFixer debug)
    {
        var instructions = body.Instructions;
        var index = instructions.IndexOf(before);
        for (var i = 0; i < code.Count; i++)
        {
            instructions.Insert(index + i, code[i]);
        }

        debug.HideFrom(code[0]);
        debug.ResumeAt(before);
    }

    /// <summary>
    /// Replaces <paramref name="target"/> by <paramref name="code"/>: the instruction object itself takes the opcode and
    /// operand of the first one (so branches, handlers and sequence points that point at it stay valid) and the others
    /// follow it.
    /// </summary>
    public static void ReplaceInPlace(MethodBody body, Instruction target, IReadOnlyList<Instruction> code) =>
        ReplaceAt(body.Instructions, body.Instructions.IndexOf(target), code);

    /// <summary>Appends <paramref name="code"/> at the end of <paramref name="body"/>.</summary>
    public static void Append(MethodBody body, IEnumerable<Instruction> code)
    {
        var instructions = body.Instructions;
        foreach (var instruction in code)
        {
            instructions.Add(instruction);
        }
    }

    /// <summary>
    /// Replaces each <c>ret</c> of the body with the code <paramref name="replacement"/> makes for it, in place (see
    /// <see cref="ReplaceInPlace"/>: the <c>ret</c> object passed to it becomes the first instruction). The replacement
    /// must not contain <c>ret</c> except as its last instruction.
    /// </summary>
    public static void ReplaceReturns(MethodBody body, Func<Instruction, IReadOnlyList<Instruction>> replacement)
    {
        var instructions = body.Instructions;
        for (var i = 0; i < instructions.Count; i++)
        {
            if (instructions[i].OpCode.Code == Code.Ret)
            {
                var code = replacement(instructions[i]);
                ReplaceAt(instructions, i, code);
                i += code.Count - 1;
            }
        }
    }

    static void ReplaceAt(Collection<Instruction> instructions, int index, IReadOnlyList<Instruction> code)
    {
        var target = instructions[index];
        target.OpCode = code[0].OpCode;
        target.Operand = code[0].Operand;
        for (var i = 1; i < code.Count; i++)
        {
            instructions.Insert(index + i, code[i]);
        }
    }
}
