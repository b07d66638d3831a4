using System.Linq;
using Mono.Cecil;

namespace SysdigTracers.Fody.Selection;

/// <summary>
/// How much code a method runs per call, in bytes of IL, as <c>MinimumCodeSize</c> compares it: the body's size; for
/// an async method, an iterator or an async iterator, the size of its state machine's <c>MoveNext</c>, where its code
/// went (the method itself only starts the state machine).
/// </summary>
internal static class MethodCodeSize
{
    static readonly string[] StateMachineAttributes =
    {
        "System.Runtime.CompilerServices.AsyncStateMachineAttribute",
        "System.Runtime.CompilerServices.IteratorStateMachineAttribute",
        "System.Runtime.CompilerServices.AsyncIteratorStateMachineAttribute",
    };

    /// <summary>The size of <paramref name="method"/>'s code; 0 without a body.</summary>
    public static int Of(MethodDefinition method)
    {
        if (!method.HasBody)
        {
            return 0;
        }

        var stateMachine = method.CustomAttributes
            .Where(a => StateMachineAttributes.Contains(a.AttributeType.FullName) && a.ConstructorArguments.Count == 1)
            .Select(a => (a.ConstructorArguments[0].Value as TypeReference)?.Resolve())
            .FirstOrDefault(t => t != null);
        var moveNext = stateMachine?.Methods.FirstOrDefault(m => m.Name == "MoveNext" && m.HasBody);
        return moveNext?.Body.CodeSize ?? method.Body.CodeSize;
    }
}
