using Mono.Cecil;
using SysdigTracers.Fody.Naming;

namespace SysdigTracers.Fody.Selection;

/// <summary>
/// One place a rule about a method can come from: the method, its property, a declaring or enclosing type, the
/// namespace rules or the assembly (README, "Which methods are traced"). A scope may have an opinion on each
/// question the selector asks, or none, in which case the next scope outward is asked.
/// </summary>
internal sealed class SelectionScope
{
    SelectionScope(SelectionSource source, bool? selects, bool ordinaryMethodsOnly, TracedAttributeInfo? traced, CustomTag? tag)
    {
        Source = source;
        Selects = selects;
        OrdinaryMethodsOnly = ordinaryMethodsOnly;
        Traced = traced;
        Tag = tag;
    }

    /// <summary>The kind of scope, reported as the rule that selected a method.</summary>
    public SelectionSource Source { get; }

    /// <summary>Traced (true), not traced (false), or no opinion (null).</summary>
    public bool? Selects { get; }

    /// <summary>Whether the scope selects only ordinary methods (a whole type, namespace or assembly).</summary>
    public bool OrdinaryMethodsOnly { get; }

    /// <summary>The scope's <c>[Traced]</c>, whose options apply to the methods under it, or null.</summary>
    public TracedAttributeInfo? Traced { get; }

    /// <summary>The custom tag written on the scope, or null.</summary>
    public CustomTag? Tag { get; }

    /// <summary>The method's own <c>[Traced]</c>/<c>[NoTrace]</c>.</summary>
    public static SelectionScope Method(TracedAttributeInfo? traced, bool noTrace) =>
        Attributed(SelectionSource.Method, traced, noTrace, ordinaryMethodsOnly: false, traced?.Tag is { } tag ? new CustomTag(CustomTagOwner.Method, tag) : null);

    /// <summary>The <c>[Traced]</c>/<c>[NoTrace]</c> of the property the method is an accessor of.</summary>
    public static SelectionScope Property(TracedAttributeInfo? traced, bool noTrace) =>
        Attributed(SelectionSource.Property, traced, noTrace, ordinaryMethodsOnly: false, traced?.Tag is { } tag ? new CustomTag(CustomTagOwner.Property, tag) : null);

    /// <summary>The <c>[Traced]</c>/<c>[NoTrace]</c> of a declaring or enclosing type.</summary>
    public static SelectionScope Type(TypeDefinition type, TracedAttributeInfo? traced, bool noTrace) =>
        Attributed(SelectionSource.Type, traced, noTrace, ordinaryMethodsOnly: true, traced?.Tag is { } tag ? new CustomTag(CustomTagOwner.Type, tag, type) : null);

    /// <summary>The namespace rules of FodyWeavers.xml: exclusion before inclusion.</summary>
    public static SelectionScope NamespaceRule(bool excluded, bool included) =>
        new(SelectionSource.NamespaceRule, excluded ? false : included ? true : null, ordinaryMethodsOnly: true, traced: null, tag: null);

    /// <summary><c>[assembly: Traced]</c>.</summary>
    public static SelectionScope Assembly(TracedAttributeInfo? traced) =>
        Attributed(SelectionSource.Assembly, traced, noTrace: false, ordinaryMethodsOnly: true, traced?.Tag is { } tag ? new CustomTag(CustomTagOwner.Assembly, tag) : null);

    static SelectionScope Attributed(SelectionSource source, TracedAttributeInfo? traced, bool noTrace, bool ordinaryMethodsOnly, CustomTag? tag) =>
        new(source, traced != null ? true : noTrace ? false : null, ordinaryMethodsOnly, traced, tag);
}
