using System;

namespace SysdigTracers;

/// <summary>
/// Marks code for tracing. At build time SysdigTracers.Fody rewrites every selected method so that it
/// writes a sysdig enter tracer when it starts and an exit tracer when it ends, however it ends.
/// </summary>
/// <remarks>
/// On an assembly, every method of every type is traced; on a class or struct, all of its methods and
/// those of its nested types; on a property, its accessors; on a method or constructor, that member.
/// <see cref="NoTraceAttribute"/> opts a member or type back out.
/// </remarks>
[AttributeUsage(
    AttributeTargets.Assembly | AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Method |
    AttributeTargets.Constructor | AttributeTargets.Property,
    AllowMultiple = false, Inherited = false)]
public sealed class TracedAttribute : Attribute
{
    /// <summary>Traces with the tag derived from the method's namespace, type and name.</summary>
    public TracedAttribute()
    {
    }

    /// <summary>Traces with a custom tag, for example <c>"orders.place"</c>; dots separate sysdig tags.</summary>
    /// <param name="tag">The dotted tag that replaces the derived one.</param>
    public TracedAttribute(string tag) => Tag = tag;

    /// <summary>The dotted tag that replaces the derived one, or <see langword="null"/> for the derived tag.</summary>
    public string? Tag { get; set; }

    /// <summary>When <see langword="true"/>, each parameter becomes an enter argument (<c>name=value</c>).</summary>
    public bool Arguments { get; set; }

    /// <summary>When <see langword="true"/>, the return value becomes the exit argument <c>return=value</c>.</summary>
    public bool ReturnValue { get; set; }

    /// <summary>
    /// When <see langword="true"/>, argument and return values of types other than the well-known value-like ones
    /// (numbers, <see cref="bool"/>, <see cref="char"/>, <see cref="string"/>, enums, <see cref="Guid"/>, dates and
    /// times, <see cref="decimal"/>, <see cref="Uri"/> and their nullable forms) are written with their
    /// <c>ToString()</c>; by default they are written as their type's name, so that tracing never runs their code.
    /// </summary>
    public bool CallToString { get; set; }
}
