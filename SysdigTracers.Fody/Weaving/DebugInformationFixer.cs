using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace SysdigTracers.Fody.Weaving;

/// <summary>
/// Keeps a woven method's debug information right: every original instruction keeps the line it had (breakpoints
/// and exception line numbers), injected code is covered by hidden sequence points so debuggers step over it, and
/// the method's root scope covers the whole new body.
/// </summary>
/// <remarks>
/// <para>
/// When injected code starts the method (IL offset 0), it is covered by the compiler's first
/// sequence point, which the first original instruction then no longer repeats: the optimising JIT attributes a
/// fault it raises through a shared throw helper (index, overflow) to IL offset 0, so offset 0 must give the line the
/// compiler's offset 0 gives, and a debugger steps over the injected code as part of the first statement (a
/// breakpoint on that line stops before it). A first instruction that is a branch target keeps its own point too.
/// </para>
/// <para>
/// Create it before the body is edited: sequence points loaded from a PDB are matched to instructions by their
/// original IL offsets, which are only right until the first edit.
/// </para>
/// </remarks>
internal sealed class DebugInformationFixer
{
    const int HiddenLine = 0xfeefee;

    readonly MethodDefinition method;
    readonly Instruction[] originalOrder;

    // The sequence point of each original instruction (same index as originalOrder), null where none starts.
    readonly SequencePoint?[] originalPoints;
    readonly int originalPointCount;

    // Records that say "none" with an offset the edits would otherwise move onto an instruction.
    readonly AsyncMethodBodyDebugInformation? asyncWithoutCatchHandler;
    readonly List<StateMachineScope> unusedHoistedScopes = new();

    // A handful per method: lists, so that no instruction is hashed (a short scan costs less than hashing).
    readonly List<Instruction> hiddenStarts = new();
    readonly List<Instruction> inheritingStarts = new();

    /// <summary>Captures the original sequence points of <paramref name="method"/>.</summary>
    public DebugInformationFixer(MethodDefinition method)
    {
        this.method = method;
        var instructions = method.Body.Instructions;
        originalOrder = new Instruction[instructions.Count];
        instructions.CopyTo(originalOrder, 0);
        originalPoints = new SequencePoint?[originalOrder.Length];
        var debug = method.DebugInformation;
        if (debug.HasSequencePoints)
        {
            // As MethodDebugInformation.GetSequencePointMapping: the first point at an instruction's offset.
            var byOffset = new Dictionary<int, SequencePoint>(debug.SequencePoints.Count);
            foreach (var point in debug.SequencePoints)
            {
                if (!byOffset.ContainsKey(point.Offset))
                {
                    byOffset.Add(point.Offset, point);
                }
            }

            for (var i = 0; i < originalOrder.Length; i++)
            {
                if (byOffset.TryGetValue(originalOrder[i].Offset, out var point))
                {
                    originalPoints[i] = point;
                    originalPointCount++;
                }
            }
        }

        if (debug.Scope != null)
        {
            ResolveScopes(debug.Scope);
        }

        // Cecil keeps the records it reads from a PDB on the method, and those a program adds on its debug information.
        foreach (var record in method.CustomDebugInformations.Concat(debug.CustomDebugInformations))
        {
            if (record is AsyncMethodBodyDebugInformation { CatchHandler: { IsEndOfMethod: false, Offset: < 0 } } async)
            {
                asyncWithoutCatchHandler = async;
            }
            else if (record is StateMachineScopeDebugInformation hoisted)
            {
                foreach (var scope in hoisted.Scopes)
                {
                    // The compiler writes (0, 0) for a slot no variable uses; the reader resolves both to the first instruction.
                    if (!scope.End.IsEndOfMethod && scope.Start.Offset == 0 && scope.End.Offset == 0)
                    {
                        unusedHoistedScopes.Add(scope);
                    }
                }
            }
        }
    }

    /// <summary>Marks the first instruction of a run of injected code.</summary>
    public void HideFrom(Instruction instruction)
    {
        if (!hiddenStarts.Contains(instruction))
        {
            hiddenStarts.Add(instruction);
        }
    }

    /// <summary>
    /// Marks an original instruction that follows injected code: it gets the sequence point that was in effect
    /// there (its own, or the closest one before it), so it does not fall under the injected code's hidden one.
    /// </summary>
    public void ResumeAt(Instruction instruction)
    {
        if (!inheritingStarts.Contains(instruction))
        {
            inheritingStarts.Add(instruction);
        }
    }

    /// <summary>Rewrites the sequence points, the root scope and the state machine records for the edited body.</summary>
    public void Apply()
    {
        var debug = method.DebugInformation;
        var instructions = method.Body.Instructions;
        if (debug.Scope != null && instructions.Count > 0)
        {
            debug.Scope.Start = new InstructionOffset(instructions[0]);
            debug.Scope.End = new InstructionOffset();
        }

        // Cecil resolves an unresolved offset to an instruction when the body changes: "no catch handler" (offset -1)
        // and an unused hoisted variable slot (0, 0) would come out pointing at the first original instruction.
        if (asyncWithoutCatchHandler != null)
        {
            asyncWithoutCatchHandler.CatchHandler = new InstructionOffset(-1);
        }

        foreach (var scope in unusedHoistedScopes)
        {
            scope.Start = new InstructionOffset(0);
            scope.End = new InstructionOffset(0);
        }

        if (originalPointCount == 0)
        {
            return;
        }

        Document? document = null;
        foreach (var point in originalPoints)
        {
            if (point != null)
            {
                document = point.Document;
                break;
            }
        }

        var originalIndex = OriginalIndexes(instructions);
        var rewritten = new List<SequencePoint>(originalPointCount + hiddenStarts.Count + inheritingStarts.Count);

        // A prologue injected at IL offset 0 takes the compiler's first sequence point (see the remarks).
        var firstPoint = originalIndex[0] < 0 && originalPoints[0] is { } compilersFirst ? compilersFirst : null;
        var firstKeepsItsPoint = firstPoint == null || IsBranchTarget(instructions, originalIndex, originalOrder[0]);
        for (var i = 0; i < instructions.Count; i++)
        {
            var instruction = instructions[i];
            var index = originalIndex[i];
            if (i == 0 && firstPoint != null)
            {
                rewritten.Add(Copy(firstPoint, instruction));
            }
            else if (index == 0 && !firstKeepsItsPoint)
            {
                // Covered by the same sequence point from offset 0 on: one step, as in the compiler's method.
            }
            else if (index >= 0 && originalPoints[index] is { } point)
            {
                rewritten.Add(Copy(point, instruction));
            }
            else if (inheritingStarts.Contains(instruction) && InEffectAt(index) is { } inherited)
            {
                rewritten.Add(Copy(inherited, instruction));
            }
            else if (hiddenStarts.Contains(instruction))
            {
                rewritten.Add(new SequencePoint(instruction, document)
                {
                    StartLine = HiddenLine,
                    EndLine = HiddenLine,
                    StartColumn = 0,
                    EndColumn = 0,
                });
            }
        }

        debug.SequencePoints.Clear();
        foreach (var point in rewritten)
        {
            debug.SequencePoints.Add(point);
        }
    }

    /// <summary>
    /// Whether an original instruction branches to <paramref name="target"/> (a loop back to the method's first
    /// statement): it then keeps a sequence point of its own, so that a debugger still stops there on every iteration.
    /// </summary>
    static bool IsBranchTarget(IList<Instruction> instructions, int[] originalIndex, Instruction target)
    {
        for (var i = 0; i < instructions.Count; i++)
        {
            if (originalIndex[i] >= 0 &&
                (ReferenceEquals(instructions[i].Operand, target) ||
                 (instructions[i].Operand is Instruction[] targets && System.Array.IndexOf(targets, target) >= 0)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Points the local scopes (variable names in the debugger) at instructions while IL offsets are still the
    /// original ones: a scope Cecil still holds as an IL offset is resolved lazily, from the current instruction
    /// sizes, which are no longer the original ones once SimplifyMacros has expanded the short forms.
    /// </summary>
    void ResolveScopes(ScopeDebugInformation scope)
    {
        scope.Start = Resolve(scope.Start);
        scope.End = Resolve(scope.End);
        if (scope.HasScopes)
        {
            foreach (var inner in scope.Scopes)
            {
                ResolveScopes(inner);
            }
        }
    }

    InstructionOffset Resolve(InstructionOffset offset)
    {
        if (offset.IsEndOfMethod)
        {
            return offset;
        }

        foreach (var instruction in originalOrder)
        {
            if (instruction.Offset == offset.Offset)
            {
                return new InstructionOffset(instruction);
            }
        }

        // The offset just past the last instruction: the end of the method.
        return new InstructionOffset();
    }

    /// <summary>For each instruction of the edited body, its index in the original body, or -1 for injected code.</summary>
    int[] OriginalIndexes(IList<Instruction> instructions)
    {
        // The edits insert code and keep the original instructions in their order: walking both lists matches them
        // without hashing every instruction (a hot spot when weaving many methods).
        var indexes = new int[instructions.Count];
        var next = 0;
        for (var i = 0; i < instructions.Count; i++)
        {
            indexes[i] = next < originalOrder.Length && ReferenceEquals(instructions[i], originalOrder[next]) ? next++ : -1;
        }

        if (next == originalOrder.Length)
        {
            return indexes;
        }

        // Some original instruction was removed or moved: match by identity.
        var byInstruction = new Dictionary<Instruction, int>(originalOrder.Length);
        for (var i = 0; i < originalOrder.Length; i++)
        {
            byInstruction[originalOrder[i]] = i;
        }

        for (var i = 0; i < instructions.Count; i++)
        {
            indexes[i] = byInstruction.TryGetValue(instructions[i], out var index) ? index : -1;
        }

        return indexes;
    }

    /// <summary>The sequence point in effect at the original instruction <paramref name="index"/> (-1: none).</summary>
    SequencePoint? InEffectAt(int index)
    {
        for (var i = index; i >= 0; i--)
        {
            if (originalPoints[i] is { } point)
            {
                return point;
            }
        }

        return null;
    }

    static SequencePoint Copy(SequencePoint point, Instruction instruction) =>
        new(instruction, point.Document)
        {
            StartLine = point.StartLine,
            StartColumn = point.StartColumn,
            EndLine = point.EndLine,
            EndColumn = point.EndColumn,
        };
}
