using System;

namespace SysdigTracers.Fody.Configuration;

/// <summary>
/// One entry of <c>IncludeNamespaces</c> / <c>ExcludeNamespaces</c>: either an exact namespace (<c>MyApp.Orders</c>)
/// or a namespace and everything below it (<c>MyApp.Orders*</c>, which matches <c>MyApp.Orders</c> and
/// <c>MyApp.Orders.Internal</c> but not <c>MyApp.OrdersArchive</c>). A lone <c>*</c> matches every namespace,
/// the global namespace included.
/// </summary>
internal sealed class NamespacePattern
{
    NamespacePattern(string text, string prefix, bool includesDescendants)
    {
        Text = text;
        Namespace = prefix;
        IncludesDescendants = includesDescendants;
    }

    /// <summary>The pattern as written.</summary>
    public string Text { get; }

    /// <summary>The namespace named by the pattern, without the trailing <c>*</c> (empty for a lone <c>*</c>).</summary>
    public string Namespace { get; }

    /// <summary>Whether the pattern ends in <c>*</c>.</summary>
    public bool IncludesDescendants { get; }

    /// <summary>Whether a type in namespace <paramref name="ns"/> (empty for the global namespace) matches.</summary>
    public bool Matches(string ns)
    {
        if (IncludesDescendants && Namespace.Length == 0)
        {
            return true;
        }

        if (string.Equals(ns, Namespace, StringComparison.Ordinal))
        {
            return true;
        }

        return IncludesDescendants &&
               ns.Length > Namespace.Length &&
               ns[Namespace.Length] == '.' &&
               ns.StartsWith(Namespace, StringComparison.Ordinal);
    }

    /// <summary>Parses one pattern; returns <see langword="null"/> and a reason when it is malformed.</summary>
    public static NamespacePattern? TryParse(string text, out string? problem)
    {
        problem = null;
        if (text == "*")
        {
            return new NamespacePattern(text, "", true);
        }

        var includesDescendants = text.EndsWith("*", StringComparison.Ordinal);
        var ns = includesDescendants ? text.Substring(0, text.Length - 1) : text;
        if (ns.IndexOf('*') >= 0)
        {
            problem = "'*' is only allowed at the end";
            return null;
        }

        if (ns.EndsWith(".", StringComparison.Ordinal) && includesDescendants)
        {
            problem = $"write '{ns.TrimEnd('.')}*' to match a namespace and everything below it";
            return null;
        }

        foreach (var part in ns.Split('.'))
        {
            if (!IsIdentifier(part))
            {
                problem = part.Length == 0
                    ? "a namespace name is empty (two dots in a row, or a leading or trailing dot)"
                    : $"'{part}' is not a valid namespace name";
                return null;
            }
        }

        return new NamespacePattern(text, ns, includesDescendants);
    }

    static bool IsIdentifier(string part)
    {
        if (part.Length == 0)
        {
            return false;
        }

        for (var i = 0; i < part.Length; i++)
        {
            var c = part[i];
            var ok = char.IsLetter(c) || c == '_' || (i > 0 && (char.IsDigit(c) || char.GetUnicodeCategory(c) is
                System.Globalization.UnicodeCategory.NonSpacingMark or
                System.Globalization.UnicodeCategory.SpacingCombiningMark or
                System.Globalization.UnicodeCategory.ConnectorPunctuation or
                System.Globalization.UnicodeCategory.Format));
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Text;
}
