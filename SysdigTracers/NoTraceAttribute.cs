using System;

namespace SysdigTracers;

/// <summary>
/// Opts a type, method, constructor or property out of tracing selected by <see cref="TracedAttribute"/> on an
/// enclosing scope or by the namespace rules of <c>FodyWeavers.xml</c>. On a parameter, keeps that parameter's value
/// out of the enter arguments.
/// </summary>
[AttributeUsage(
    AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Method | AttributeTargets.Constructor |
    AttributeTargets.Property | AttributeTargets.Parameter,
    AllowMultiple = false, Inherited = false)]
public sealed class NoTraceAttribute : Attribute
{
}
