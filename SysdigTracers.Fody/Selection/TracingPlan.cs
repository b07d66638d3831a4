using Mono.Cecil;
using SysdigTracers.Fody.Configuration;

namespace SysdigTracers.Fody.Selection;

/// <summary>Why a method is traced: the most specific rule that selected it.</summary>
internal enum SelectionSource
{
    /// <summary><c>[Traced]</c> on the method itself.</summary>
    Method,

    /// <summary><c>[Traced]</c> on the property the method is an accessor of.</summary>
    Property,

    /// <summary><c>[Traced]</c> on the declaring type or an enclosing type.</summary>
    Type,

    /// <summary><c>IncludeNamespaces</c> in FodyWeavers.xml.</summary>
    NamespaceRule,

    /// <summary><c>[assembly: Traced]</c>.</summary>
    Assembly,
}

/// <summary>A method chosen for tracing, with everything the processors need to know about it.</summary>
internal sealed class TracingPlan
{
    /// <summary>Creates a plan.</summary>
    public TracingPlan(
        MethodDefinition method,
        string tag,
        bool arguments,
        bool returnValue,
        SelectionSource source,
        bool callToString,
        SecretNames secretNames)
    {
        CallToString = callToString;
        SecretNames = secretNames;
        Method = method;
        Tag = tag;
        Arguments = arguments;
        ReturnValue = returnValue;
        Source = source;
    }

    /// <summary>The method to weave.</summary>
    public MethodDefinition Method { get; }

    /// <summary>The dotted sysdig tag written by both tracers.</summary>
    public string Tag { get; }

    /// <summary>Whether the parameters become enter arguments.</summary>
    public bool Arguments { get; }

    /// <summary>Whether the return value becomes the exit argument <c>return</c>.</summary>
    public bool ReturnValue { get; }

    /// <summary>Whether values of types other than the well-known value-like ones are written with <c>ToString()</c>.</summary>
    public bool CallToString { get; }

    /// <summary>The parameter names whose values are written as <c>&lt;redacted&gt;</c>.</summary>
    public SecretNames SecretNames { get; }

    /// <summary>The rule that selected the method.</summary>
    public SelectionSource Source { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Method.FullName} as {Tag} ({Source})";
}
