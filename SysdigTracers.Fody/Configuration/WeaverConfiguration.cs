using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;

namespace SysdigTracers.Fody.Configuration;

/// <summary>The options of the <c>&lt;SysdigTracers&gt;</c> element of FodyWeavers.xml, already validated.</summary>
internal sealed class WeaverConfiguration
{
    /// <summary>The configuration of an empty <c>&lt;SysdigTracers /&gt;</c>: only <c>[Traced]</c> selects methods.</summary>
    public static readonly WeaverConfiguration Default = new(
        new NamespacePattern[0], new NamespacePattern[0], false, false, false, false, null, false, true, false, false, 0,
        DefaultMaxAssemblySpansPerSecond, SecretNames.Default, 0);

    /// <summary>
    /// <c>MaxAssemblySpansPerSecond</c> when FodyWeavers.xml does not set it; the runtime's
    /// <c>TracedAssembly.DefaultMaxAssemblySpansPerSecond</c>, which README.md explains.
    /// </summary>
    public const int DefaultMaxAssemblySpansPerSecond = 10000;

    /// <summary>Creates a configuration.</summary>
    public WeaverConfiguration(
        IReadOnlyList<NamespacePattern> includeNamespaces,
        IReadOnlyList<NamespacePattern> excludeNamespaces,
        bool traceConstructors,
        bool traceProperties,
        bool arguments,
        bool returnValue,
        string? activitySourceName,
        bool traceContext,
        bool codeAttributes,
        bool callToString,
        bool traceTrivialMethods,
        int maxSpansPerSecond,
        int maxAssemblySpansPerSecond,
        SecretNames secretNames,
        int minimumCodeSize,
        IReadOnlyDictionary<NamespacePattern, XObject>? sources = null)
    {
        MinimumCodeSize = minimumCodeSize;
        CallToString = callToString;
        TraceTrivialMethods = traceTrivialMethods;
        MaxSpansPerSecond = maxSpansPerSecond;
        MaxAssemblySpansPerSecond = maxAssemblySpansPerSecond;
        SecretNames = secretNames;
        Sources = sources ?? new Dictionary<NamespacePattern, XObject>();
        ActivitySourceName = activitySourceName;
        TraceContext = traceContext;
        CodeAttributes = codeAttributes;
        IncludeNamespaces = includeNamespaces;
        ExcludeNamespaces = excludeNamespaces;
        TraceConstructors = traceConstructors;
        TraceProperties = traceProperties;
        Arguments = arguments;
        ReturnValue = returnValue;
    }

    /// <summary>Namespaces whose methods are traced without <c>[Traced]</c>.</summary>
    public IReadOnlyList<NamespacePattern> IncludeNamespaces { get; }

    /// <summary>Namespaces taken out of <see cref="IncludeNamespaces"/> and of <c>[assembly: Traced]</c>.</summary>
    public IReadOnlyList<NamespacePattern> ExcludeNamespaces { get; }

    /// <summary>The attribute or element of FodyWeavers.xml that each namespace pattern comes from.</summary>
    public IReadOnlyDictionary<NamespacePattern, XObject> Sources { get; }

    /// <summary>Whether constructors of types selected as a whole are traced.</summary>
    public bool TraceConstructors { get; }

    /// <summary>Whether property accessors of types selected as a whole are traced.</summary>
    public bool TraceProperties { get; }

    /// <summary>Enter arguments for methods that no <c>[Traced]</c> selects.</summary>
    public bool Arguments { get; }

    /// <summary>Return value for methods that no <c>[Traced]</c> selects.</summary>
    public bool ReturnValue { get; }

    /// <summary>The name of the assembly's ActivitySource, or null for the assembly's name.</summary>
    public string? ActivitySourceName { get; }

    /// <summary>Whether enter tracers carry the trace id and span id of the method's Activity.</summary>
    public bool TraceContext { get; }

    /// <summary>Whether Activities carry the <c>code.*</c> attributes (function name, file path, line number).</summary>
    public bool CodeAttributes { get; }

    /// <summary>
    /// Whether values of types other than the well-known value-like ones are written with their <c>ToString()</c>
    /// (instead of their type's name) for methods whose <c>[Traced]</c> does not say.
    /// </summary>
    public bool CallToString { get; }

    /// <summary>Whether broad selection (a type, a namespace rule, the assembly) also weaves trivial methods.</summary>
    public bool TraceTrivialMethods { get; }

    /// <summary>
    /// The smallest body, in bytes of IL, that broad selection (a type, a namespace rule, the assembly) weaves; 0 for
    /// no minimum.
    /// </summary>
    public int MinimumCodeSize { get; }

    /// <summary>The ceiling on spans per second of each woven method, or 0 for none.</summary>
    public int MaxSpansPerSecond { get; }

    /// <summary>The ceiling on spans per second of all woven methods together, or 0 for none.</summary>
    public int MaxAssemblySpansPerSecond { get; }

    /// <summary>The parameter names whose values are written as <c>&lt;redacted&gt;</c>.</summary>
    public SecretNames SecretNames { get; }

    /// <summary>Whether the namespace rules include a type of namespace <paramref name="ns"/>.</summary>
    public bool IsIncluded(string ns) => IncludeNamespaces.Any(p => p.Matches(ns));

    /// <summary>Whether the namespace rules exclude a type of namespace <paramref name="ns"/>.</summary>
    public bool IsExcluded(string ns) => ExcludeNamespaces.Any(p => p.Matches(ns));
}
