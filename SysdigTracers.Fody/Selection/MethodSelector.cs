using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using SysdigTracers.Fody.Configuration;
using SysdigTracers.Fody.Naming;

namespace SysdigTracers.Fody.Selection;

/// <summary>
/// Decides which methods of a module are traced, with which tag and options. Each method has an ordered list of
/// <see cref="SelectionScope"/>s: its own <c>[Traced]</c>/<c>[NoTrace]</c>, its property's, its declaring type's and
/// the enclosing types' (innermost first), the namespace rules (exclusion before inclusion), <c>[assembly: Traced]</c>;
/// each question is answered by the first scope that has an opinion. Misplaced attributes are reported as build errors.
/// </summary>
internal sealed class MethodSelector
{
    const string CompilerGeneratedAttributeName = "System.Runtime.CompilerServices.CompilerGeneratedAttribute";

    readonly ModuleDefinition module;
    readonly WeaverConfiguration config;
    readonly Diagnostics diagnostics;

    // What each type says ([Traced], [NoTrace], compiler-generated), read once: every method of a type and of its
    // nested types asks again.
    readonly Dictionary<TypeDefinition, TypeFacts> typeFacts = new();
    readonly Dictionary<string, SelectionScope> namespaceScopes = new();

    /// <summary>Creates a selector for <paramref name="module"/>.</summary>
    public MethodSelector(ModuleDefinition module, WeaverConfiguration config, Diagnostics diagnostics)
    {
        this.module = module;
        this.config = config;
        this.diagnostics = diagnostics;
    }

    /// <summary>
    /// How many methods a broader rule (type, namespace, assembly) selects but whose own, property's or type's
    /// <c>[NoTrace]</c> leaves out; known after <see cref="Select"/>.
    /// </summary>
    public int LeftOutByNoTrace { get; private set; }

    /// <summary>
    /// How many trivial methods (<see cref="TrivialMethods"/>) a broader rule selects but leaves out because
    /// <c>TraceTrivialMethods</c> is off; known after <see cref="Select"/>.
    /// </summary>
    public int TrivialMethodsLeftOut { get; private set; }

    /// <summary>
    /// How many methods a broader rule selects but leaves out because their code is smaller than
    /// <c>MinimumCodeSize</c> (<see cref="MethodCodeSize"/>), trivial ones not included; known after <see cref="Select"/>.
    /// </summary>
    public int SmallMethodsLeftOut { get; private set; }

    /// <summary>Returns the plans of every method to trace, in metadata order.</summary>
    public List<TracingPlan> Select()
    {
        var plans = new List<TracingPlan>();
        var assemblyTraced = TracedAttributeInfo.Read(module.Assembly);
        if (assemblyTraced?.Tag != null && TagBuilder.ValidateCustomTag(assemblyTraced.Tag) is { } assemblyTagProblem)
        {
            diagnostics.Error(DiagnosticCodes.InvalidTag, $"[assembly: Traced(\"{assemblyTraced.Tag}\")]: {assemblyTagProblem}.", module.Types.First());
            assemblyTraced = null;
        }

        var assembly = SelectionScope.Assembly(assemblyTraced);

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
                var plan = SelectMethod(method, property, assembly);
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
            diagnostics.Error(DiagnosticCodes.TracedAndNoTrace, $"'{CSharpName.Of(type)}' has both [Traced] and [NoTrace]; keep one.", type);
        }

        if (traced.Tag != null && TagBuilder.ValidateCustomTag(traced.Tag) is { } problem)
        {
            diagnostics.Error(DiagnosticCodes.InvalidTag, $"[Traced(\"{traced.Tag}\")] on '{CSharpName.Of(type)}': {problem}.", type);
        }
    }

    TracingPlan? SelectMethod(MethodDefinition method, PropertyDefinition? property, SelectionScope assembly)
    {
        var methodTraced = TracedAttributeInfo.Read(method);
        var methodNoTrace = TracedAttributeInfo.HasNoTrace(method);
        if (methodTraced != null && methodNoTrace)
        {
            diagnostics.Error(DiagnosticCodes.TracedAndNoTrace, $"'{CSharpName.Of(method)}' has both [Traced] and [NoTrace]; keep one.", method);
            return null;
        }

        var propertyTraced = TracedAttributeInfo.Read(property);
        var propertyNoTrace = TracedAttributeInfo.HasNoTrace(property);
        if (propertyTraced != null && propertyNoTrace)
        {
            diagnostics.Error(DiagnosticCodes.TracedAndNoTrace, $"'{CSharpName.Of(property!)}' has both [Traced] and [NoTrace]; keep one.", property!);
            return null;
        }

        var scopes = Scopes(method, SelectionScope.Method(methodTraced, methodNoTrace), property == null ? null : SelectionScope.Property(propertyTraced, propertyNoTrace), assembly);

        // Selected? The first scope with an opinion; a whole type, namespace or assembly only picks up ordinary methods.
        var ordinary = IsOrdinary(method, property);
        var decisive = scopes.FindIndex(s => s.Selects.HasValue && (ordinary || !s.OrdinaryMethodsOnly));
        var decision = decisive < 0 ? null : scopes[decisive];
        if (decision?.Selects != true)
        {
            if (decision != null && decision.Source != SelectionSource.NamespaceRule &&
                scopes.Skip(decisive + 1).Any(s => s.Selects == true && (ordinary || !s.OrdinaryMethodsOnly)))
            {
                LeftOutByNoTrace++;
            }

            return null;
        }

        if (decision.Source == SelectionSource.Method && !CheckExplicit(method, methodTraced!, method, "method"))
        {
            return null;
        }

        if (decision.Source == SelectionSource.Property && !CheckExplicit(method, propertyTraced!, property!, "property"))
        {
            return null;
        }

        // Trivial or under MinimumCodeSize? Broad selection leaves it out; [Traced] on the method or property weaves it.
        var broad = decision.Source is not (SelectionSource.Method or SelectionSource.Property);
        if (broad && !config.TraceTrivialMethods && TrivialMethods.IsTrivial(method))
        {
            TrivialMethodsLeftOut++;
            return null;
        }

        if (broad && config.MinimumCodeSize > 0 && MethodCodeSize.Of(method) < config.MinimumCodeSize)
        {
            SmallMethodsLeftOut++;
            return null;
        }

        // Options? A method selected by a namespace rule takes FodyWeavers.xml's; any other, the first [Traced] that sets them.
        var byNamespaceRule = decision.Source == SelectionSource.NamespaceRule;
        var arguments = byNamespaceRule ? config.Arguments : scopes.Select(s => s.Traced?.Arguments).FirstOrDefault(v => v.HasValue) ?? false;
        var returnValue = byNamespaceRule ? config.ReturnValue : scopes.Select(s => s.Traced?.ReturnValue).FirstOrDefault(v => v.HasValue) ?? false;

        // ToString? The first [Traced] that says, whatever selected the method; else FodyWeavers.xml.
        var callToString = scopes.Select(s => s.Traced?.CallToString).FirstOrDefault(v => v.HasValue) ?? config.CallToString;

        // Tag? The naming policy picks among the custom tags of the scopes, innermost first.
        var tag = TagBuilder.ForMethod(method, scopes.Where(s => s.Tag != null).Select(s => s.Tag!));
        return new TracingPlan(method, tag, arguments, returnValue, decision.Source, callToString, config.SecretNames);
    }

    /// <summary>The scopes of <paramref name="method"/>, innermost first: method, property, types, namespace rule, assembly.</summary>
    List<SelectionScope> Scopes(MethodDefinition method, SelectionScope own, SelectionScope? property, SelectionScope assembly)
    {
        var scopes = new List<SelectionScope>(6) { own };
        if (property != null)
        {
            scopes.Add(property);
        }

        TypeDefinition outermost = method.DeclaringType;
        for (var type = method.DeclaringType; type != null; type = type.DeclaringType)
        {
            scopes.Add(FactsOf(type).Scope);
            outermost = type;
        }

        scopes.Add(NamespaceScope(outermost.Namespace));
        scopes.Add(assembly);
        return scopes;
    }

    SelectionScope NamespaceScope(string ns)
    {
        if (!namespaceScopes.TryGetValue(ns, out var scope))
        {
            scope = SelectionScope.NamespaceRule(config.IsExcluded(ns), config.IsIncluded(ns));
            namespaceScopes.Add(ns, scope);
        }

        return scope;
    }

    /// <summary>Checks a method chosen by its own or its property's <c>[Traced]</c>; reports why it cannot be traced.</summary>
    bool CheckExplicit(MethodDefinition method, TracedAttributeInfo traced, IMemberDefinition owner, string ownerKind)
    {
        if (traced.Tag != null && TagBuilder.ValidateCustomTag(traced.Tag) is { } problem)
        {
            diagnostics.Error(DiagnosticCodes.InvalidTag, $"[Traced(\"{traced.Tag}\")] on {ownerKind} '{CSharpName.Of(owner)}': {problem}.", owner);
            return false;
        }

        if (!method.HasBody)
        {
            var why = method.IsAbstract
                ? method.DeclaringType.IsInterface
                    ? "it is an interface member without a body. Put [Traced] on the implementations instead"
                    : "it is abstract. Put [Traced] on the overrides instead"
                : method.IsPInvokeImpl || method.IsInternalCall || method.IsRuntime
                    ? "it is extern (implemented outside this assembly). Put [Traced] on a method of yours that calls it instead"
                    : "it has no body";
            diagnostics.Error(DiagnosticCodes.NoBody, $"[Traced] cannot work on '{CSharpName.Of(method)}': {why}.", method);
            return false;
        }

        return true;
    }

    /// <summary>
    /// Whether a method is ordinary, so picked up when a whole scope (type, namespace, assembly) is selected: methods
    /// with a body written by the user; constructors only with <c>TraceConstructors</c>; property accessors only with
    /// <c>TraceProperties</c>; never compiler-generated methods (lambdas, local functions, record members,
    /// field-like event accessors) or members of compiler-generated types.
    /// </summary>
    bool IsOrdinary(MethodDefinition method, PropertyDefinition? property)
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
            // A record's EqualityContract is a property the compiler writes; the accessors of auto-properties are
            // compiler-generated too, but their property is the user's.
            return config.TraceProperties && !IsCompilerGenerated(property);
        }

        return !method.Name.StartsWith("<", System.StringComparison.Ordinal) && !IsCompilerGenerated(method);
    }

    static bool IsInCompilerGeneratedType(TypeDefinition type)
    {
        for (var t = type; t != null; t = t.DeclaringType)
        {
            if (IsCompilerGenerated(t) || (t.Name.StartsWith("<", System.StringComparison.Ordinal) && FileLocalTypeName.DeclaredName(t.Name) == null))
            {
                return true;
            }
        }

        return false;
    }

    static bool IsCompilerGenerated(ICustomAttributeProvider provider) =>
        provider.HasCustomAttributes && provider.CustomAttributes.Any(a => a.AttributeType.FullName == CompilerGeneratedAttributeName);

    TypeFacts FactsOf(TypeDefinition type)
    {
        if (!typeFacts.TryGetValue(type, out var facts))
        {
            var traced = TracedAttributeInfo.Read(type);
            var noTrace = TracedAttributeInfo.HasNoTrace(type);
            facts = new TypeFacts(SelectionScope.Type(type, traced, noTrace), traced, noTrace, IsInCompilerGeneratedType(type));
            typeFacts.Add(type, facts);
        }

        return facts;
    }

    sealed class TypeFacts
    {
        public TypeFacts(SelectionScope scope, TracedAttributeInfo? traced, bool noTrace, bool inCompilerGeneratedType)
        {
            Scope = scope;
            Traced = traced;
            NoTrace = noTrace;
            InCompilerGeneratedType = inCompilerGeneratedType;
        }

        /// <summary>The type as a scope of its methods and of its nested types' methods.</summary>
        public SelectionScope Scope { get; }

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
