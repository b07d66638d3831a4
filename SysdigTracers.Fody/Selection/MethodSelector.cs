using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using SysdigTracers.Fody.Configuration;
using SysdigTracers.Fody.Naming;

namespace SysdigTracers.Fody.Selection;

/// <summary>
/// Decides which methods of a module are traced, with which tag and options. The most specific rule wins:
/// the method's own <c>[Traced]</c>/<c>[NoTrace]</c>, then its property's, then its declaring type's and the
/// enclosing types' (innermost first), then the namespace rules (exclusion before inclusion), then
/// <c>[assembly: Traced]</c>. Misplaced attributes are reported as build errors.
/// </summary>
public sealed class MethodSelector
{
    const string CompilerGeneratedAttributeName = "System.Runtime.CompilerServices.CompilerGeneratedAttribute";

    readonly ModuleDefinition module;
    readonly WeaverConfiguration config;
    readonly Diagnostics diagnostics;

    // What each type says ([Traced], [NoTrace], compiler-generated), read once: every method of a type and of its
    // nested types asks again.
    readonly Dictionary<TypeDefinition, TypeFacts> typeFacts = new();

    /// <summary>Creates a selector for <paramref name="module"/>.</summary>
    public MethodSelector(ModuleDefinition module, WeaverConfiguration config, Diagnostics diagnostics)
    {
        this.module = module;
        this.config = config;
        this.diagnostics = diagnostics;
    }

    /// <summary>Returns the plans of every method to trace, in metadata order.</summary>
    public List<TracingPlan> Select()
    {
        var plans = new List<TracingPlan>();
        var assemblyTraced = TracedAttributeInfo.Read(module.Assembly);
        if (assemblyTraced?.Tag != null && TagBuilder.ValidateCustomTag(assemblyTraced.Tag) is { } assemblyTagProblem)
        {
            diagnostics.Error($"[assembly: Traced(\"{assemblyTraced.Tag}\")]: {assemblyTagProblem}.", module.Types.First());
            assemblyTraced = null;
        }

        foreach (var type in module.GetTypes())
        {
            if (type.Name == "<Module>")
            {
                continue;
            }

            // A misplaced type-level attribute is reported; the members are still examined so that every error
            // shows up in one build (the build fails anyway).
            CheckType(type);
            var accessorOwners = AccessorOwners(type);
            foreach (var method in type.Methods)
            {
                accessorOwners.TryGetValue(method, out var property);
                var plan = SelectMethod(method, property, assemblyTraced);
                if (plan != null)
                {
                    plans.Add(plan);
                }
            }
        }

        return plans;
    }

    /// <summary>Reports misplaced type-level attributes.</summary>
    void CheckType(TypeDefinition type)
    {
        var facts = FactsOf(type);
        var traced = facts.Traced;
        if (traced == null)
        {
            return;
        }

        if (facts.NoTrace)
        {
            diagnostics.Error($"'{type.FullName}' has both [Traced] and [NoTrace]; keep one.", type);
        }

        if (traced.Tag != null && TagBuilder.ValidateCustomTag(traced.Tag) is { } problem)
        {
            diagnostics.Error($"[Traced(\"{traced.Tag}\")] on '{type.FullName}': {problem}.", type);
        }
    }

    TracingPlan? SelectMethod(MethodDefinition method, PropertyDefinition? property, TracedAttributeInfo? assemblyTraced)
    {
        var methodTraced = TracedAttributeInfo.Read(method);
        var methodNoTrace = TracedAttributeInfo.HasNoTrace(method);
        var propertyTraced = TracedAttributeInfo.Read(property);
        var propertyNoTrace = TracedAttributeInfo.HasNoTrace(property);

        if (methodTraced != null && methodNoTrace)
        {
            diagnostics.Error($"'{method.FullName}' has both [Traced] and [NoTrace]; keep one.", method);
            return null;
        }

        if (propertyTraced != null && propertyNoTrace)
        {
            diagnostics.Error($"'{property!.FullName}' has both [Traced] and [NoTrace]; keep one.", property);
            return null;
        }

        SelectionSource source;
        if (methodTraced != null)
        {
            if (!CheckExplicit(method, methodTraced, method, "method"))
            {
                return null;
            }

            source = SelectionSource.Method;
        }
        else if (methodNoTrace)
        {
            return null;
        }
        else if (propertyTraced != null)
        {
            if (!CheckExplicit(method, propertyTraced, property!, "property"))
            {
                return null;
            }

            source = SelectionSource.Property;
        }
        else if (propertyNoTrace || !IsEligibleForScope(method, property))
        {
            return null;
        }
        else
        {
            var decided = false;
            source = SelectionSource.Type;
            for (var type = method.DeclaringType; type != null; type = type.DeclaringType)
            {
                var facts = FactsOf(type);
                if (facts.Traced != null)
                {
                    decided = true;
                    break;
                }

                if (facts.NoTrace)
                {
                    return null;
                }
            }

            if (!decided)
            {
                var ns = OutermostType(method.DeclaringType).Namespace;
                if (config.IsExcluded(ns))
                {
                    return null;
                }

                if (config.IsIncluded(ns))
                {
                    source = SelectionSource.NamespaceRule;
                }
                else if (assemblyTraced != null)
                {
                    source = SelectionSource.Assembly;
                }
                else
                {
                    return null;
                }
            }
        }

        var chain = AttributeChain(methodTraced, propertyTraced, method.DeclaringType, assemblyTraced);
        var arguments = source == SelectionSource.NamespaceRule
            ? config.Arguments
            : chain.Select(a => a.Arguments).FirstOrDefault(v => v.HasValue) ?? false;
        var returnValue = source == SelectionSource.NamespaceRule
            ? config.ReturnValue
            : chain.Select(a => a.ReturnValue).FirstOrDefault(v => v.HasValue) ?? false;

        return new TracingPlan(method, Tag(method, methodTraced, property, propertyTraced, assemblyTraced), arguments, returnValue, source);
    }

    /// <summary>Checks a method chosen by its own or its property's <c>[Traced]</c>; reports why it cannot be traced.</summary>
    bool CheckExplicit(MethodDefinition method, TracedAttributeInfo traced, IMemberDefinition owner, string ownerKind)
    {
        if (traced.Tag != null && TagBuilder.ValidateCustomTag(traced.Tag) is { } problem)
        {
            diagnostics.Error($"[Traced(\"{traced.Tag}\")] on {ownerKind} '{owner.FullName}': {problem}.", owner);
            return false;
        }

        if (!method.HasBody)
        {
            var why = method.IsAbstract
                ? method.DeclaringType.IsInterface ? "it is an interface member without a body" : "it is abstract"
                : method.IsPInvokeImpl || method.IsInternalCall || method.IsRuntime
                    ? "it is extern (implemented outside this assembly)"
                    : "it has no body";
            diagnostics.Error($"[Traced] cannot work on '{method.FullName}': {why}. Put [Traced] on the implementations instead.", method);
            return false;
        }

        return true;
    }

    /// <summary>
    /// Whether a method is picked up when a whole scope (type, namespace, assembly) is selected: ordinary methods;
    /// constructors only with <c>TraceConstructors</c>; property accessors only with <c>TraceProperties</c>; never
    /// methods without a body, compiler-generated methods (lambdas, local functions, record members, field-like
    /// event accessors) or members of compiler-generated types.
    /// </summary>
    bool IsEligibleForScope(MethodDefinition method, PropertyDefinition? property)
    {
        if (!method.HasBody || FactsOf(method.DeclaringType).InCompilerGeneratedType)
        {
            return false;
        }

        if (method.IsConstructor)
        {
            return config.TraceConstructors;
        }

        if (property != null)
        {
            return config.TraceProperties;
        }

        return !method.Name.StartsWith("<", System.StringComparison.Ordinal) && !IsCompilerGenerated(method);
    }

    static bool IsInCompilerGeneratedType(TypeDefinition type)
    {
        for (var t = type; t != null; t = t.DeclaringType)
        {
            if (IsCompilerGenerated(t) || (t.Name.StartsWith("<", System.StringComparison.Ordinal) && !IsFileLocal(t)))
            {
                return true;
            }
        }

        return false;
    }

    static bool IsFileLocal(TypeDefinition type)
    {
        var close = type.Name.IndexOf('>');
        return close > 0 && close + 1 < type.Name.Length && type.Name[close + 1] == 'F' && type.Name.IndexOf("__", close, System.StringComparison.Ordinal) > 0;
    }

    static bool IsCompilerGenerated(ICustomAttributeProvider provider) =>
        provider.HasCustomAttributes && provider.CustomAttributes.Any(a => a.AttributeType.FullName == CompilerGeneratedAttributeName);

    static TypeDefinition OutermostType(TypeDefinition type)
    {
        while (type.DeclaringType != null)
        {
            type = type.DeclaringType;
        }

        return type;
    }

    /// <summary>The <c>[Traced]</c> attributes that apply, from the most specific to the assembly's.</summary>
    List<TracedAttributeInfo> AttributeChain(
        TracedAttributeInfo? methodTraced, TracedAttributeInfo? propertyTraced, TypeDefinition declaringType, TracedAttributeInfo? assemblyTraced)
    {
        var chain = new List<TracedAttributeInfo>();
        if (methodTraced != null)
        {
            chain.Add(methodTraced);
        }

        if (propertyTraced != null)
        {
            chain.Add(propertyTraced);
        }

        for (var type = declaringType; type != null; type = type.DeclaringType)
        {
            if (FactsOf(type).Traced is { } typeTraced)
            {
                chain.Add(typeTraced);
            }
        }

        if (assemblyTraced != null)
        {
            chain.Add(assemblyTraced);
        }

        return chain;
    }

    /// <summary>
    /// The method's tag: a custom tag on the method replaces the whole tag; on its property, replaces
    /// <c>Namespace.Type.Property</c> (the accessor kind follows); on an enclosing type, replaces that type's
    /// <c>Namespace.Type</c>; on the assembly, is put in front of the derived tag.
    /// </summary>
    string Tag(
        MethodDefinition method,
        TracedAttributeInfo? methodTraced,
        PropertyDefinition? property,
        TracedAttributeInfo? propertyTraced,
        TracedAttributeInfo? assemblyTraced)
    {
        if (methodTraced?.Tag != null)
        {
            return methodTraced.Tag;
        }

        if (property != null && propertyTraced?.Tag != null)
        {
            return TagBuilder.ForAccessorUnderPropertyTag(method, propertyTraced.Tag);
        }

        for (var type = method.DeclaringType; type != null; type = type.DeclaringType)
        {
            if (FactsOf(type).Traced?.Tag is { } typeTag)
            {
                return TagBuilder.ForMethodUnderTypeTag(method, type, typeTag);
            }
        }

        var derived = TagBuilder.ForMethod(method);
        return assemblyTraced?.Tag != null ? assemblyTraced.Tag + "." + derived : derived;
    }

    TypeFacts FactsOf(TypeDefinition type)
    {
        if (!typeFacts.TryGetValue(type, out var facts))
        {
            facts = new TypeFacts(TracedAttributeInfo.Read(type), TracedAttributeInfo.HasNoTrace(type), IsInCompilerGeneratedType(type));
            typeFacts.Add(type, facts);
        }

        return facts;
    }

    sealed class TypeFacts
    {
        public TypeFacts(TracedAttributeInfo? traced, bool noTrace, bool inCompilerGeneratedType)
        {
            Traced = traced;
            NoTrace = noTrace;
            InCompilerGeneratedType = inCompilerGeneratedType;
        }

        /// <summary>The type's own <c>[Traced]</c>.</summary>
        public TracedAttributeInfo? Traced { get; }

        /// <summary>Whether the type itself carries <c>[NoTrace]</c>.</summary>
        public bool NoTrace { get; }

        /// <summary>Whether the type or an enclosing type is compiler-generated.</summary>
        public bool InCompilerGeneratedType { get; }
    }

    static Dictionary<MethodDefinition, PropertyDefinition> AccessorOwners(TypeDefinition type)
    {
        var owners = new Dictionary<MethodDefinition, PropertyDefinition>();
        foreach (var property in type.Properties)
        {
            if (property.GetMethod != null)
            {
                owners[property.GetMethod] = property;
            }

            if (property.SetMethod != null)
            {
                owners[property.SetMethod] = property;
            }

            foreach (var other in property.OtherMethods)
            {
                owners[other] = property;
            }
        }

        return owners;
    }
}
