using Mono.Cecil;

namespace SysdigTracers.Fody.Weaving;

/// <summary>How a method's body behaves, which decides the processor that weaves it.</summary>
internal enum MethodShape
{
    /// <summary>A synchronous method: it ends when its body returns or throws.</summary>
    Plain,

    /// <summary>An <c>async</c> method: the body only starts a state machine (<c>AsyncStateMachineAttribute</c>).</summary>
    Async,

    /// <summary>An iterator: the body only creates an enumerable (<c>IteratorStateMachineAttribute</c>).</summary>
    Iterator,

    /// <summary>An async iterator (<c>AsyncIteratorStateMachineAttribute</c>).</summary>
    AsyncIterator,
}

/// <summary>Classifies methods into <see cref="MethodShape"/>s.</summary>
internal static class MethodShapes
{
    /// <summary>The shape of <paramref name="method"/>, from the state machine attribute the compiler put on it.</summary>
    public static MethodShape Classify(MethodDefinition method)
    {
        if (!method.HasCustomAttributes)
        {
            return MethodShape.Plain;
        }

        // The compiler puts one state machine attribute on a method; an async iterator's wins if there were several.
        var shape = MethodShape.Plain;
        foreach (var attribute in method.CustomAttributes)
        {
            switch (attribute.AttributeType.FullName)
            {
                case "System.Runtime.CompilerServices.AsyncIteratorStateMachineAttribute":
                    return MethodShape.AsyncIterator;
                case "System.Runtime.CompilerServices.AsyncStateMachineAttribute":
                    shape = MethodShape.Async;
                    break;
                case "System.Runtime.CompilerServices.IteratorStateMachineAttribute" when shape == MethodShape.Plain:
                    shape = MethodShape.Iterator;
                    break;
            }
        }

        return shape;
    }
}
