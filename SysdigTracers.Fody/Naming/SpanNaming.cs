using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace SysdigTracers.Fody.Naming;

/// <summary>
/// What a woven method's Activity is called and where its code is: the span name (the custom tag, otherwise the
/// derived tag without its namespace: <c>Type.Method</c>), <c>code.function.name</c> (the fully qualified name) and
/// the first line of the method's code from the debug information.
/// </summary>
internal static class SpanNaming
{
    /// <summary>The span name of a method traced under <paramref name="tag"/>.</summary>
    public static string SpanName(MethodDefinition method, string tag)
    {
        if (tag != TagBuilder.ForMethod(method))
        {
            return tag;
        }

        var outermost = method.DeclaringType;
        while (outermost.DeclaringType != null)
        {
            outermost = outermost.DeclaringType;
        }

        var prefix = outermost.Namespace + ".";
        return outermost.Namespace.Length > 0 && tag.StartsWith(prefix, System.StringComparison.Ordinal)
            ? tag.Substring(prefix.Length)
            : tag;
    }

    /// <summary>The method's fully qualified name: namespace, types (nested ones after a dot), method.</summary>
    public static string FunctionName(MethodDefinition method) =>
        method.DeclaringType.FullName.Replace('/', '.') + "." + method.Name;

    /// <summary>The first visible sequence point of the method, or of its state machine's <c>MoveNext</c>; null without debug information.</summary>
    public static SequencePoint? FirstLine(MethodDefinition method) =>
        FirstVisible(method) ?? FirstVisible(StateMachineMoveNext(method));

    /// <summary>The first sequence point of <paramref name="method"/> that is not hidden, or null.</summary>
    public static SequencePoint? FirstVisible(MethodDefinition? method) =>
        method != null && method.DebugInformation.HasSequencePoints
            ? method.DebugInformation.SequencePoints.FirstOrDefault(p => !p.IsHidden)
            : null;

    /// <summary>The <c>MoveNext</c> of the state machine of an async method or iterator's kickoff method, or null.</summary>
    public static MethodDefinition? StateMachineMoveNext(MethodDefinition method) =>
        method.CustomAttributes
            .Where(a => a.AttributeType.Name.EndsWith("StateMachineAttribute", System.StringComparison.Ordinal))
            .Select(a => (a.ConstructorArguments.FirstOrDefault().Value as TypeReference)?.Resolve())
            .Where(t => t != null)
            .SelectMany(t => t!.Methods)
            .FirstOrDefault(m => m.Name == "MoveNext");
}
