using System.Collections.Generic;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace SysdigTracers.Fody.Weaving;

/// <summary>
/// Keeps a woven method's debug information right: every original instruction keeps the line it had (breakpoints
/// and exception line numbers), injected code is covered by hidden sequence points so debuggers step over it, and
/// the method's root scope covers the whole new body.
/// </summary>
/// <remarks>
/// Create it before the body is edited: sequence points loaded from a PDB are matched to instructions by their
/// original IL offsets, which are only right until the first edit.
/// </remarks>
public sealed class DebugInformationFixer
{
    const int HiddenLine = 0xfeefee;

    readonly MethodDefinition method;
    readonly IDictionary<Instruction, SequencePoint> original;
    readonly List<Instruction> originalOrder;
    readonly HashSet<Instruction> hiddenStarts = new();
    readonly HashSet<Instruction> inheritingStarts = new();

    /// <summary>Captures the original sequence points of <paramref name="method"/>.</summary>
    public DebugInformationFixer(MethodDefinition method)
    {
        this.method = method;
        original = method.DebugInformation.HasSequencePoints
            ? method.DebugInformation.GetSequencePointMapping()
            : new Dictionary<Instruction, SequencePoint>();
        originalOrder = new List<Instruction>(method.Body.Instructions);
        if (method.DebugInformation.Scope != null)
        {
            ResolveScopes(method.DebugInformation.Scope);
        }
    }

    /// <summary>Marks the first instruction of a run of injected code.</summary>
    public void HideFrom(Instruction instruction) => hiddenStarts.Add(instruction);

    /// <summary>
    /// Marks an original instruction that follows injected code: it gets the sequence point that was in effect
    /// there (its own, or the closest one before it), so it does not fall under the injected code's hidden one.
    /// </summary>
    public void ResumeAt(Instruction instruction) => inheritingStarts.Add(instruction);

    /// <summary>Rewrites the sequence points and the root scope for the edited body.</summary>
    public void Apply()
    {
        var debug = method.DebugInformation;
        var instructions = method.Body.Instructions;
        if (debug.Scope != null && instructions.Count > 0)
        {
            debug.Scope.Start = new InstructionOffset(instructions[0]);
            debug.Scope.End = new InstructionOffset();
        }

        if (original.Count == 0)
        {
            return;
        }

        Document? document = null;
        foreach (var point in original.Values)
        {
            document = point.Document;
            break;
        }

        var rewritten = new List<SequencePoint>();
        foreach (var instruction in instructions)
        {
            if (original.TryGetValue(instruction, out var point))
            {
                rewritten.Add(Copy(point, instruction));
            }
            else if (inheritingStarts.Contains(instruction) && InEffectAt(instruction) is { } inherited)
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

    SequencePoint? InEffectAt(Instruction instruction)
    {
        var index = originalOrder.IndexOf(instruction);
        for (var i = index; i >= 0; i--)
        {
            if (original.TryGetValue(originalOrder[i], out var point))
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
