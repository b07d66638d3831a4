using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Mono.Cecil;
using SysdigTracers.Fody.Naming;
using SysdigTracers.Fody.Selection;

namespace SysdigTracers.Fody.Weaving;

/// <summary>
/// Which parameters become enter arguments and whether the return value can become the exit argument. Values are
/// handed to the runtime's generic <c>Add&lt;T&gt;</c>/<c>ExitWithReturn&lt;T&gt;</c> with <c>T</c> the declared type, so
/// nothing is boxed. Left out: <c>out</c> and <c>[NoTrace]</c> parameters, <c>CancellationToken</c>s (plumbing, the
/// same text on every call), and values no generic method can take: pointers, function pointers and byref-like types
/// (<c>Span&lt;T&gt;</c>, other <c>ref struct</c>s, and generic parameters that allow them). Parameters whose names say
/// they hold secrets stay in the list but are written as <c>&lt;redacted&gt;</c> (<see cref="IsRedacted"/>), and so
/// is the return value of a method whose name says it returns one (<see cref="IsReturnRedacted"/>).
/// </summary>
internal static class TracedValues
{
    const string CancellationTokenName = "System.Threading.CancellationToken";

    const string IsByRefLikeAttributeName = "System.Runtime.CompilerServices.IsByRefLikeAttribute";

    // GenericParameterAttributes.AllowByRefLike (the "allows ref struct" anti-constraint); newer than this Cecil.
    const GenericParameterAttributes AllowByRefLike = (GenericParameterAttributes)0x0020;

    /// <summary>The parameters written as enter arguments when the plan asks for arguments.</summary>
    public static List<ParameterDefinition> Parameters(TracingPlan plan)
    {
        if (!plan.Arguments || !plan.Method.HasParameters)
        {
            return new List<ParameterDefinition>();
        }

        var all = plan.Method.Parameters;
        var traced = new List<ParameterDefinition>(all.Count);
        for (var i = 0; i < all.Count; i++)
        {
            if (IsTraceable(all[i]))
            {
                traced.Add(all[i]);
            }
        }

        return traced;
    }

    /// <summary>The enter argument name of a parameter (its name, or <c>argN</c> when the compiler gave none).</summary>
    public static string ArgumentName(ParameterDefinition parameter) =>
        string.IsNullOrEmpty(parameter.Name) ? "arg" + parameter.Index : parameter.Name;

    /// <summary>
    /// Whether the value of <paramref name="parameter"/> is written as <c>&lt;redacted&gt;</c>, never read: a
    /// secret-named parameter, or the <c>value</c> of a secret-named property's setter (its parameter is always
    /// called <c>value</c>, the property's name says what it holds).
    /// </summary>
    public static bool IsRedacted(TracingPlan plan, ParameterDefinition parameter) =>
        plan.SecretNames.IsSecret(parameter.Name) ||
        (plan.Method.IsSetter && parameter.Index == plan.Method.Parameters.Count - 1 && IsSecretProperty(plan));

    /// <summary>
    /// Whether the return value is written as <c>&lt;redacted&gt;</c>, never read: a method whose name says it returns
    /// a secret by the rules of parameter names (<c>GetAccessToken</c>, <c>CreateApiKey</c>, <c>GetPasswordAsync</c>:
    /// see <see cref="DeclaredName"/>), or the getter of a secret-named property.
    /// </summary>
    public static bool IsReturnRedacted(TracingPlan plan) =>
        plan.SecretNames.IsSecret(DeclaredName(plan.Method)) || (plan.Method.IsGetter && IsSecretProperty(plan));

    /// <summary>
    /// The name that says what a method returns: a local function's own name (<c>&lt;Outer&gt;g__GetToken|0_0</c>), a
    /// lambda's enclosing method's (a lambda has none of its own: <c>&lt;GetToken&gt;b__0_1</c>), an explicit interface
    /// implementation's without the interface; and without a trailing <c>Async</c>, which names the awaitable, not
    /// the value (<c>GetTokenAsync</c>: its result is a token).
    /// </summary>
    static string DeclaredName(MethodDefinition method)
    {
        var name = method.Name;
        var close = name.IndexOf('>');
        if (name.StartsWith("<", StringComparison.Ordinal) && close > 0)
        {
            var rest = name.Substring(close + 1);
            name = rest.StartsWith("g__", StringComparison.Ordinal) ? rest.Substring(3).Split('|')[0] : name.Substring(1, close - 1);
        }
        else if (TagBuilder.LastDotOutsideBrackets(name) is var dot and > 0)
        {
            name = name.Substring(dot + 1);
        }

        return name.Length > AsyncSuffix.Length && name.EndsWith(AsyncSuffix, StringComparison.Ordinal)
            ? name.Substring(0, name.Length - AsyncSuffix.Length)
            : name;
    }

    const string AsyncSuffix = "Async";

    static bool IsSecretProperty(TracingPlan plan) =>
        plan.Method.DeclaringType.Properties.Any(p =>
            (p.GetMethod == plan.Method || p.SetMethod == plan.Method) && plan.SecretNames.IsSecret(p.Name));

    /// <summary>Whether the return value is written as <c>return=value</c> for this plan.</summary>
    public static bool CapturesReturnValue(TracingPlan plan) =>
        plan.ReturnValue && plan.Method.ReturnType.MetadataType != MetadataType.Void && IsFormattable(ValueType(plan.Method.ReturnType));

    /// <summary>The type of the value behind <paramref name="type"/>: modifiers removed, by-reference dereferenced.</summary>
    public static TypeReference ValueType(TypeReference type)
    {
        type = StripModifiers(type);
        return type is ByReferenceType byReference ? StripModifiers(byReference.ElementType) : type;
    }

    /// <summary>Removes <c>modreq</c>/<c>modopt</c> wrappers (as on <c>in</c> parameters and <c>ref readonly</c> returns).</summary>
    public static TypeReference StripModifiers(TypeReference type)
    {
        while (type is IModifierType modifier)
        {
            type = modifier.ElementType;
        }

        return type;
    }

    static bool IsTraceable(ParameterDefinition parameter)
    {
        var type = StripModifiers(parameter.ParameterType);
        if (type is ByReferenceType && parameter.IsOut && !parameter.IsIn)
        {
            return false;
        }

        var valueType = ValueType(type);
        return !TracedAttributeInfo.HasNoTrace(parameter) && valueType.FullName != CancellationTokenName && IsFormattable(valueType);
    }

    static bool IsFormattable(TypeReference type)
    {
        switch (type)
        {
            case PointerType or FunctionPointerType or ByReferenceType or PinnedType or SentinelType:
                return false;
            case GenericParameter genericParameter:
                return (genericParameter.Attributes & AllowByRefLike) == 0;
            case ArrayType:
                return true;
        }

        if (!type.IsValueType || IsPrimitive(type.MetadataType))
        {
            return true;
        }

        // Resolving a value type is the costly part of weaving a method; the answer never changes within a module.
        var cache = ByRefLikeCache.GetOrCreateValue(type.Module);
        var key = type.GetElementType().FullName;
        lock (cache)
        {
            if (cache.TryGetValue(key, out var known))
            {
                return known;
            }
        }

        var definition = type.Resolve();
        var formattable = definition != null &&
                          !definition.CustomAttributes.Any(a => a.AttributeType.FullName == IsByRefLikeAttributeName);
        lock (cache)
        {
            cache[key] = formattable;
        }

        return formattable;
    }

    static readonly ConditionalWeakTable<ModuleDefinition, Dictionary<string, bool>> ByRefLikeCache = new();

    static bool IsPrimitive(MetadataType type) => type is
        MetadataType.Boolean or MetadataType.Char or MetadataType.SByte or MetadataType.Byte or
        MetadataType.Int16 or MetadataType.UInt16 or MetadataType.Int32 or MetadataType.UInt32 or
        MetadataType.Int64 or MetadataType.UInt64 or MetadataType.Single or MetadataType.Double or
        MetadataType.IntPtr or MetadataType.UIntPtr;
}
