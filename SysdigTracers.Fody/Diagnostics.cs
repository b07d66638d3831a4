using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;
using SysdigTracers.Fody.Naming;

namespace SysdigTracers.Fody;

/// <summary>
/// Build errors and warnings with a source location. A method with a body is reported at its first sequence point;
/// members without one (abstract, extern) and types at the earliest line of their type's code, so that the build
/// output at least names the right file.
/// </summary>
internal sealed class Diagnostics
{
    readonly System.Action<string, SequencePoint?> writeError;
    readonly System.Action<string, SequencePoint?> writeWarning;

    /// <summary>Creates diagnostics that report through the given callbacks (the weaver's WriteError/WriteWarning).</summary>
    public Diagnostics(System.Action<string, SequencePoint?> writeError, System.Action<string, SequencePoint?> writeWarning)
    {
        this.writeError = writeError;
        this.writeWarning = writeWarning;
    }

    /// <summary>Whether any error was reported.</summary>
    public bool HasErrors { get; private set; }

    /// <summary>Reports a build error with its code (<see cref="DiagnosticCodes"/>), located at <paramref name="member"/>.</summary>
    public void Error(string code, string message, IMemberDefinition member)
    {
        HasErrors = true;
        writeError($"{code}: {message}", Locate(member));
    }

    /// <summary>How many selected methods were left untraced with a warning (<see cref="LeftUntraced"/>).</summary>
    public int UntracedMethods { get; private set; }

    /// <summary>Reports, as a build warning located at <paramref name="method"/>, that a selected method is left untraced.</summary>
    public void LeftUntraced(string code, string message, MethodDefinition method)
    {
        UntracedMethods++;
        Warning(code, message, method);
    }

    /// <summary>Reports a build warning with its code (<see cref="DiagnosticCodes"/>), located at <paramref name="member"/>.</summary>
    public void Warning(string code, string message, IMemberDefinition member) => writeWarning($"{code}: {message}", Locate(member));

    /// <summary>The best source location for <paramref name="member"/>, or <see langword="null"/>.</summary>
    public static SequencePoint? Locate(IMemberDefinition member)
    {
        switch (member)
        {
            case MethodDefinition method when SpanNaming.FirstLine(method) is { } point:
                // For the kickoff method of an async method or iterator, which has no sequence points, MoveNext's first line.
                return point;
            case MethodDefinition method:
                return Earliest(method.DeclaringType);
            case PropertyDefinition property:
                return SpanNaming.FirstVisible(property.GetMethod) ??
                       SpanNaming.FirstVisible(property.SetMethod) ??
                       Earliest(property.DeclaringType);
            case TypeDefinition type:
                return Earliest(type);
            default:
                return member.DeclaringType != null ? Earliest(member.DeclaringType) : null;
        }
    }

    static SequencePoint? Earliest(TypeDefinition type) =>
        type.Methods
            .Select(SpanNaming.FirstVisible)
            .Where(p => p != null)
            .OrderBy(p => p!.StartLine)
            .FirstOrDefault() ??
        type.NestedTypes.Select(Earliest).FirstOrDefault(p => p != null);
}
