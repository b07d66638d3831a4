using System.Collections.Generic;
using System.Linq;
using System.Text;
using Mono.Cecil;
using SysdigTracers.Internal;

namespace SysdigTracers.Fody.Naming;

/// <summary>
/// The whole tag policy: the derived tag of a method, which custom tag wins and how it combines with the derived
/// parts, and which custom tags are valid. Three character rules apply to tags, each for its own reason:
/// <list type="table">
/// <listheader><term>tag</term><description>rule</description></listheader>
/// <item><term>derived (<see cref="ForMethod(MethodDefinition)"/>)</term><description>
/// <see cref="Sanitize"/>: only letters, digits, <c>_</c>, <c>-</c>, <c>$</c>; a first component never starts with a
/// digit. Metadata names contain compiler punctuation (<c>&lt;Run&gt;b__0_1</c>), which is made readable, not just
/// valid.</description></item>
/// <item><term>custom (<see cref="ValidateCustomTag"/>)</term><description>
/// rejected at build time when a component is empty, contains whitespace or a character sysdig cannot read
/// (<c>TagSyntax.IsReserved</c>), or the first starts with <c>0</c>: the user chose the text, so it is kept as
/// written or the build fails.</description></item>
/// <item><term>runtime (tags passed to <c>MethodTracer</c>/<c>TracerSpan</c> at run time)</term><description>
/// each character sysdig cannot read (<c>TagSyntax.IsReserved</c>) is replaced by <c>_</c>, an empty component is
/// written as <c>_</c> and a first component starting with <c>0</c> gets a <c>_</c> in front: nothing may throw
/// into user code.</description></item>
/// </list>
/// Only a method's metadata is used, so the same method gets the same tag in every build.
/// </summary>
internal static class TagBuilder
{
    /// <summary>The derived tag of <paramref name="method"/>, for example <c>MyApp.Orders.Cart.Add</c>.</summary>
    public static string ForMethod(MethodDefinition method) => Join(TypeComponents(method.DeclaringType), MethodComponents(method.Name));

    /// <summary>
    /// The tag of <paramref name="method"/> given the custom tags written on the scopes that apply to it, from the
    /// innermost (the method) to the outermost (the assembly): the innermost custom tag wins and replaces what
    /// <see cref="CustomTagOwner"/> says; without one, the derived tag.
    /// </summary>
    internal static string ForMethod(MethodDefinition method, IEnumerable<CustomTag> customTags) =>
        customTags.FirstOrDefault() switch
        {
            null => ForMethod(method),
            { Owner: CustomTagOwner.Method } custom => custom.Text,
            { Owner: CustomTagOwner.Property } custom => ForAccessorUnderPropertyTag(method, custom.Text),
            { Owner: CustomTagOwner.Type } custom => ForMethodUnderTypeTag(method, custom.Type!, custom.Text),
            var custom => custom.Text + "." + ForMethod(method),
        };

    /// <summary>
    /// The tag of a method under a custom tag on <paramref name="scope"/>, one of its enclosing types: the custom tag
    /// replaces that type's <c>Namespace.Type</c>; nested types below it and the method follow.
    /// </summary>
    static string ForMethodUnderTypeTag(MethodDefinition method, TypeDefinition scope, string typeTag)
    {
        var below = new List<string>();
        for (var type = method.DeclaringType; type != null && type != scope; type = type.DeclaringType)
        {
            var component = TypeNameComponent(type.Name);
            if (component != null)
            {
                below.Insert(0, component);
            }
        }

        below.AddRange(MethodComponents(method.Name));
        return typeTag + "." + string.Join(".", below);
    }

    /// <summary>
    /// The tag of an accessor under a custom tag on its property: the custom tag followed by the accessor kind
    /// (<c>get</c>, <c>set</c>), so the getter and setter spans stay apart.
    /// </summary>
    static string ForAccessorUnderPropertyTag(MethodDefinition accessor, string propertyTag)
    {
        var name = accessor.Name;
        var underscore = name.IndexOf('_');
        var kind = underscore > 0 ? name.Substring(0, underscore) : name;
        return propertyTag + "." + Sanitize(kind);
    }

    /// <summary>
    /// Checks a tag written in <c>[Traced("...")]</c>; returns why it is unusable, or <see langword="null"/>.
    /// </summary>
    public static string? ValidateCustomTag(string? tag)
    {
        if (tag == null || tag.Trim().Length == 0)
        {
            return "the tag is empty";
        }

        var components = tag.Split('.');
        foreach (var component in components)
        {
            if (component.Length == 0)
            {
                return "a tag component is empty (two dots in a row, or a leading or trailing dot)";
            }

            foreach (var c in component)
            {
                if (TagSyntax.IsReserved(c) || char.IsWhiteSpace(c) || char.IsControl(c))
                {
                    return $"'{c}' is not allowed in a sysdig tag";
                }
            }
        }

        if (TagSyntax.IsMisreadAsFirst(components[0][0]))
        {
            return "the first tag component must not start with '0' (sysdig misreads it)";
        }

        return null;
    }

    static string Join(List<string> typeComponents, List<string> methodComponents)
    {
        var all = new List<string>(typeComponents);
        all.AddRange(methodComponents);
        if (all.Count > 0 && all[0].Length > 0 && char.IsDigit(all[0][0]))
        {
            all[0] = "_" + all[0];
        }

        return string.Join(".", all);
    }

    /// <summary>Namespace components, then the declaring types from the outermost to the innermost.</summary>
    static List<string> TypeComponents(TypeDefinition type)
    {
        var chain = new List<TypeDefinition>();
        for (var t = type; t != null; t = t.DeclaringType)
        {
            chain.Insert(0, t);
        }

        var components = new List<string>();
        var ns = chain[0].Namespace;
        if (ns.Length > 0)
        {
            foreach (var part in ns.Split('.'))
            {
                components.Add(Sanitize(part));
            }
        }

        foreach (var t in chain)
        {
            var component = TypeNameComponent(t.Name);
            if (component != null)
            {
                components.Add(component);
            }
        }

        return components;
    }

    /// <summary>
    /// A type name as a tag component: arity mark dropped (<c>Cache`2</c> → <c>Cache</c>); file-local types
    /// (<c>&lt;Program&gt;F1A2__Helper</c>) by their declared name; other compiler-generated types (display classes,
    /// lambda caches, state machines) left out, since the method name already says where the code came from.
    /// </summary>
    static string? TypeNameComponent(string name)
    {
        if (name.StartsWith("<", System.StringComparison.Ordinal))
        {
            return FileLocalTypeName.DeclaredName(name) is { } declared ? Sanitize(StripArity(declared)) : null;
        }

        return Sanitize(StripArity(name));
    }

    /// <summary>
    /// A method name as tag components: <c>.ctor</c> → <c>ctor</c>, <c>.cctor</c> → <c>cctor</c>; explicit interface
    /// implementations as <c>IInterface.Method</c>; local functions as <c>Outer.Local</c>; lambdas as
    /// <c>Outer.lambda_N_M</c>; top-level statements (<c>&lt;Main&gt;$</c>) as <c>Main</c>.
    /// </summary>
    static List<string> MethodComponents(string name)
    {
        var result = new List<string>();
        if (name == ".ctor" || name == ".cctor")
        {
            result.Add(name.Substring(1));
            return result;
        }

        if (name.StartsWith("<", System.StringComparison.Ordinal))
        {
            var close = name.IndexOf('>');
            if (close > 0)
            {
                var outer = name.Substring(1, close - 1);
                var rest = name.Substring(close + 1);
                if (outer.Length > 0)
                {
                    result.AddRange(MethodComponents(outer));
                }

                if (rest.StartsWith("g__", System.StringComparison.Ordinal))
                {
                    var local = rest.Substring(3);
                    var bar = local.IndexOf('|');
                    result.Add(Sanitize(bar >= 0 ? local.Substring(0, bar) : local));
                }
                else if (rest.StartsWith("b__", System.StringComparison.Ordinal))
                {
                    result.Add("lambda_" + Sanitize(rest.Substring(3)));
                }
                else if (rest != "$" && rest.Length > 0)
                {
                    result.Add(Sanitize(rest));
                }

                if (result.Count == 0)
                {
                    result.Add("_");
                }

                return result;
            }
        }

        var lastDot = LastDotOutsideBrackets(name);
        if (lastDot > 0)
        {
            // Explicit interface implementation: "System.Collections.Generic.IEnumerable<System.Int32>.GetEnumerator".
            var iface = StripGenericArguments(name.Substring(0, lastDot));
            var simple = iface.Substring(iface.LastIndexOf('.') + 1);
            result.Add(Sanitize(StripArity(simple)));
            result.Add(Sanitize(name.Substring(lastDot + 1)));
            return result;
        }

        result.Add(Sanitize(name));
        return result;
    }

    static int LastDotOutsideBrackets(string name)
    {
        var depth = 0;
        for (var i = name.Length - 1; i >= 0; i--)
        {
            switch (name[i])
            {
                case '>':
                    depth++;
                    break;
                case '<':
                    depth--;
                    break;
                case '.' when depth == 0:
                    return i;
            }
        }

        return -1;
    }

    static string StripGenericArguments(string name)
    {
        var builder = new StringBuilder(name.Length);
        var depth = 0;
        foreach (var c in name)
        {
            if (c == '<')
            {
                depth++;
            }
            else if (c == '>')
            {
                depth--;
            }
            else if (depth == 0)
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    static string StripArity(string name)
    {
        var tick = name.IndexOf('`');
        return tick > 0 ? name.Substring(0, tick) : name;
    }

    /// <summary>
    /// Replaces each run of characters that are not letters, digits, <c>_</c>, <c>-</c> or <c>$</c> by one <c>_</c>,
    /// and drops such runs at either end (<c>a&lt;b&gt;c</c> → <c>a_b_c</c>; <c>_field</c> stays as it is).
    /// </summary>
    internal static string Sanitize(string component)
    {
        var builder = new StringBuilder(component.Length);
        var pending = false;
        foreach (var c in component)
        {
            if (char.IsLetterOrDigit(c) || c is '_' or '-' or '$')
            {
                if (pending && builder.Length > 0)
                {
                    builder.Append('_');
                }

                builder.Append(c);
                pending = false;
            }
            else
            {
                pending = true;
            }
        }

        return builder.Length == 0 ? "_" : builder.ToString();
    }
}
