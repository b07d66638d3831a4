using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;
using SysdigTracers.Fody.Weaving;

namespace SysdigTracers.Fody.Naming;

/// <summary>
/// The sequence point whose file and line an Activity's <c>code.file.path</c> and <c>code.line.number</c> name: the
/// first line of the method's own code, the same in Debug and Release builds (docs/weaver.md, "code.line.number").
/// </summary>
internal static class CodeLocation
{
    /// <summary>
    /// The first sequence point of <paramref name="method"/>'s own code (of its state machine's <c>MoveNext</c> for the
    /// kickoff method of an async method or iterator), or null without debug information. Must be asked before the
    /// method is woven.
    /// </summary>
    /// <remarks>
    /// Left out: an opening brace (Debug builds give it a <c>nop</c>, Release builds nothing); in a constructor what
    /// runs before its <c>base(...)</c>/<c>this(...)</c> call and the field initialisers the compiler copies into every
    /// constructor of a struct. A constructor's line is that of its <c>base(...)</c>/<c>this(...)</c> call (the
    /// constructor's declaration when the call is implicit) or, for a struct constructor that chains to none, its first
    /// statement.
    /// </remarks>
    public static SequencePoint? Of(MethodDefinition method) =>
        First(OwnPoints(method)) ?? First(Visible(SpanNaming.StateMachineMoveNext(method)));

    static SequencePoint? First(IReadOnlyList<SequencePoint> points) =>
        points.FirstOrDefault(p => !IsBrace(p)) ?? points.LastOrDefault();

    static bool IsBrace(SequencePoint point) =>
        point.StartLine == point.EndLine && point.EndColumn == point.StartColumn + 1;

    static IReadOnlyList<SequencePoint> Visible(MethodDefinition? method) =>
        method != null && method.DebugInformation.HasSequencePoints
            ? method.DebugInformation.SequencePoints.Where(p => !p.IsHidden).ToList()
            : new List<SequencePoint>();

    static IReadOnlyList<SequencePoint> OwnPoints(MethodDefinition method)
    {
        var points = Visible(method);
        if (!method.IsConstructor || method.IsStatic || points.Count == 0)
        {
            return points;
        }

        if (ConstructorChaining.FindChainingCall(method) is { } call && Covering(method, call) is { } chaining)
        {
            return points.SkipWhile(p => p != chaining).ToList();
        }

        // A struct constructor that chains to none runs the field initialisers first; they are the lines it shares
        // with the type's other constructors. (With one constructor they cannot be told apart from its own code.)
        var shared = new HashSet<(string, int, int)>(
            method.DeclaringType.Methods
                .Where(m => m != method && m.IsConstructor && !m.IsStatic)
                .SelectMany(Visible)
                .Select(Position));
        return points.Where(p => !shared.Contains(Position(p))).ToList();
    }

    static (string, int, int) Position(SequencePoint point) => (point.Document.Url, point.StartLine, point.StartColumn);

    /// <summary>The visible sequence point whose code contains <paramref name="instruction"/>.</summary>
    static SequencePoint? Covering(MethodDefinition method, Instruction instruction)
    {
        var debug = method.DebugInformation;
        SequencePoint? covering = null;
        foreach (var current in method.Body.Instructions)
        {
            if (debug.GetSequencePoint(current) is { } point)
            {
                covering = point.IsHidden ? covering : point;
            }

            if (current == instruction)
            {
                return covering;
            }
        }

        return null;
    }
}
