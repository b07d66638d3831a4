using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Mono.Cecil;

namespace SysdigTracers.Fody.Naming;

/// <summary>
/// Names members in build messages as C# writes them (<c>MyShop.Orders.Checkout.Place(Cart)</c>), not as IL does
/// (<c>System.Void MyShop.Orders.Checkout::Place(MyShop.Cart)</c>): the declaring type with its namespace, parameter
/// types by their short C# names, keywords for the built-in types.
/// </summary>
internal static class CSharpName
{
    static readonly Dictionary<string, string> Keywords = new()
    {
        ["System.Void"] = "void",
        ["System.Object"] = "object",
        ["System.String"] = "string",
        ["System.Boolean"] = "bool",
        ["System.Char"] = "char",
        ["System.SByte"] = "sbyte",
        ["System.Byte"] = "byte",
        ["System.Int16"] = "short",
        ["System.UInt16"] = "ushort",
        ["System.Int32"] = "int",
        ["System.UInt32"] = "uint",
        ["System.Int64"] = "long",
        ["System.UInt64"] = "ulong",
        ["System.IntPtr"] = "nint",
        ["System.UIntPtr"] = "nuint",
        ["System.Single"] = "float",
        ["System.Double"] = "double",
        ["System.Decimal"] = "decimal",
    };

    static readonly Dictionary<string, string> Operators = new()
    {
        ["op_Addition"] = "operator +",
        ["op_Subtraction"] = "operator -",
        ["op_Multiply"] = "operator *",
        ["op_Division"] = "operator /",
        ["op_Modulus"] = "operator %",
        ["op_Equality"] = "operator ==",
        ["op_Inequality"] = "operator !=",
        ["op_LessThan"] = "operator <",
        ["op_GreaterThan"] = "operator >",
        ["op_LessThanOrEqual"] = "operator <=",
        ["op_GreaterThanOrEqual"] = "operator >=",
        ["op_UnaryNegation"] = "operator -",
        ["op_UnaryPlus"] = "operator +",
        ["op_LogicalNot"] = "operator !",
        ["op_Increment"] = "operator ++",
        ["op_Decrement"] = "operator --",
        ["op_Implicit"] = "implicit operator",
        ["op_Explicit"] = "explicit operator",
    };

    /// <summary>A method, constructor, accessor, operator, local function or lambda, with its parameter types.</summary>
    public static string Of(MethodDefinition method)
    {
        var type = Of(method.DeclaringType);
        var parameters = "(" + string.Join(", ", method.Parameters.Select(Parameter)) + ")";
        if (method.IsConstructor)
        {
            return $"{type}.{SimpleName(method.DeclaringType.Name)}{parameters}";
        }

        if (method.SemanticsAttributes != MethodSemanticsAttributes.None && Accessor(method) is { } accessor)
        {
            return $"{type}.{accessor}";
        }

        var name = method.Name;
        if (name.StartsWith("<", System.StringComparison.Ordinal) && name.IndexOf('>') is var close and > 0)
        {
            // Local function <Outer>g__Local|0_0, lambda <Outer>b__0_1.
            var outer = name.Substring(1, close - 1);
            var rest = name.Substring(close + 1);
            var inner = rest.StartsWith("g__", System.StringComparison.Ordinal)
                ? rest.Substring(3).Split('|')[0]
                : rest.StartsWith("b__", System.StringComparison.Ordinal) ? "lambda" : rest.TrimStart('$');
            name = outer.Length == 0 ? inner : inner.Length == 0 ? outer : $"{outer}.{inner}";
        }
        else if (Operators.TryGetValue(name, out var op))
        {
            name = op;
            if (name.EndsWith("implicit operator", System.StringComparison.Ordinal) || name.EndsWith("explicit operator", System.StringComparison.Ordinal))
            {
                name += " " + Of(method.ReturnType);
            }
        }
        else if (TagBuilder.LastDotOutsideBrackets(name) is var dot and > 0)
        {
            // Explicit interface implementation: System.Collections.Generic.IEnumerable<System.Int32>.GetEnumerator.
            var implemented = Regex.Replace(
                name.Substring(0, dot),
                @"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+",
                m => Keywords.TryGetValue(m.Value, out var keyword) ? keyword : m.Value.Substring(m.Value.LastIndexOf('.') + 1));
            name = implemented + "." + name.Substring(dot + 1);
        }

        var generic = method.HasGenericParameters ? "<" + string.Join(", ", method.GenericParameters.Select(p => p.Name)) + ">" : "";
        return $"{type}.{name}{generic}{parameters}";
    }

    /// <summary>A type with its namespace and enclosing types (<c>MyShop.Cache&lt;TKey, TValue&gt;.Entry</c>).</summary>
    public static string Of(TypeDefinition type)
    {
        var chain = new List<TypeDefinition>();
        for (var t = type; t != null; t = t.DeclaringType)
        {
            chain.Insert(0, t);
        }

        // Compiler-generated types (display classes, state machines) are left out: the member name says where the code is.
        var names = string.Join(
            ".",
            chain.Where(t => !t.Name.StartsWith("<", System.StringComparison.Ordinal) || FileLocalTypeName.DeclaredName(t.Name) != null)
                .Select(t => SimpleName(t.Name) + GenericParameters(t)));
        return chain[0].Namespace.Length == 0 ? names : chain[0].Namespace + "." + names;
    }

    /// <summary>A property (<c>MyShop.Cache.Count</c>, <c>MyShop.Cache.this[int]</c>).</summary>
    public static string Of(PropertyDefinition property) => $"{Of(property.DeclaringType)}.{PropertyName(property)}";

    /// <summary>Any member the weaver reports about.</summary>
    public static string Of(IMemberDefinition member) => member switch
    {
        MethodDefinition method => Of(method),
        PropertyDefinition property => Of(property),
        TypeDefinition type => Of(type),
        _ => member.FullName,
    };

    static string? Accessor(MethodDefinition method)
    {
        foreach (var property in method.DeclaringType.Properties)
        {
            if (property.GetMethod == method)
            {
                return PropertyName(property) + ".get";
            }

            if (property.SetMethod == method)
            {
                return PropertyName(property) + ".set";
            }
        }

        foreach (var e in method.DeclaringType.Events)
        {
            if (e.AddMethod == method)
            {
                return e.Name + ".add";
            }

            if (e.RemoveMethod == method)
            {
                return e.Name + ".remove";
            }
        }

        return null;
    }

    static string PropertyName(PropertyDefinition property) =>
        property.HasParameters ? "this[" + string.Join(", ", property.Parameters.Select(p => Of(p.ParameterType))) + "]" : property.Name;

    static string Parameter(ParameterDefinition parameter)
    {
        if (parameter.ParameterType is ByReferenceType byReference)
        {
            var kind = parameter.IsOut ? "out" : parameter.IsIn ? "in" : "ref";
            return kind + " " + Of(byReference.ElementType);
        }

        return Of(parameter.ParameterType);
    }

    /// <summary>A type as C# writes it where it is used: short name, keywords, <c>T?</c>, <c>T[]</c>, <c>List&lt;int&gt;</c>.</summary>
    static string Of(TypeReference type)
    {
        switch (type)
        {
            case GenericParameter parameter:
                return parameter.Name;
            case ByReferenceType byReference:
                return "ref " + Of(byReference.ElementType);
            case RequiredModifierType required:
                return Of(required.ElementType);
            case OptionalModifierType optional:
                return Of(optional.ElementType);
            case ArrayType array:
                return Of(array.ElementType) + "[" + new string(',', array.Rank - 1) + "]";
            case PointerType pointer:
                return Of(pointer.ElementType) + "*";
            case GenericInstanceType instance when instance.ElementType.FullName == "System.Nullable`1":
                return Of(instance.GenericArguments[0]) + "?";
            case GenericInstanceType instance:
                return Nested(instance.ElementType) + "<" + string.Join(", ", instance.GenericArguments.Select(Of)) + ">";
        }

        if (Keywords.TryGetValue(type.FullName, out var keyword))
        {
            return keyword;
        }

        return Nested(type) + (type.HasGenericParameters ? "<" + string.Join(", ", type.GenericParameters.Select(p => p.Name)) + ">" : "");
    }

    /// <summary>The enclosing types and the type, without namespace or arity.</summary>
    static string Nested(TypeReference type) =>
        type.DeclaringType == null ? SimpleName(type.Name) : Nested(type.DeclaringType) + "." + SimpleName(type.Name);

    /// <summary>The generic parameters a type declares itself (not those of its enclosing types).</summary>
    static string GenericParameters(TypeDefinition type)
    {
        var inherited = type.DeclaringType?.GenericParameters.Count ?? 0;
        var own = type.GenericParameters.Skip(inherited).Select(p => p.Name).ToList();
        return own.Count == 0 ? "" : "<" + string.Join(", ", own) + ">";
    }

    static string SimpleName(string name)
    {
        if (name.StartsWith("<", System.StringComparison.Ordinal) && FileLocalTypeName.DeclaredName(name) is { } declared)
        {
            name = declared;
        }

        var tick = name.IndexOf('`');
        return tick < 0 ? name : name.Substring(0, tick);
    }
}
