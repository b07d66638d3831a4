using System;
using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;

namespace SysdigTracers.Fody.Configuration;

/// <summary>
/// Namespace patterns of FodyWeavers.xml that match no type of the module (<c>Shop.Pla*</c>, a case typo), each with
/// the existing namespace closest to it, so that a rule that silently traces nothing gets a build warning.
/// </summary>
internal static class UnmatchedNamespaceRules
{
    /// <summary>The stable code of the warning.</summary>
    public const string Code = "ST2001";

    /// <summary>One warning per pattern of <paramref name="config"/> that matches none of the module's namespaces.</summary>
    public static IEnumerable<(NamespacePattern Pattern, string Message)> Find(WeaverConfiguration config, ModuleDefinition module)
    {
        // A nested type belongs to the namespace of its outermost type, which is what the rules match.
        var namespaces = module.Types.Where(t => t.Name != "<Module>").Select(t => t.Namespace).Distinct().ToList();
        var rules = config.IncludeNamespaces.Select(p => ("IncludeNamespaces", p)).Concat(config.ExcludeNamespaces.Select(p => ("ExcludeNamespaces", p)));
        foreach (var (option, pattern) in rules)
        {
            if (namespaces.Any(pattern.Matches))
            {
                continue;
            }

            var closest = Closest(pattern.Namespace, namespaces);
            var hint = closest == null
                ? "the assembly has no namespace other than the global one"
                : $"the closest namespace is '{closest}'";
            yield return (pattern, $"{Code}: {option} pattern '{pattern.Text}' matches no namespace of {module.Assembly.Name.Name}; {hint}.");
        }
    }

    /// <summary>The namespace, or namespace above one, with the smallest edit distance to <paramref name="wanted"/>.</summary>
    static string? Closest(string wanted, IEnumerable<string> namespaces) =>
        namespaces
            .Where(n => n.Length > 0)
            .SelectMany(AndParents)
            .Distinct()
            .OrderBy(n => EditDistance(wanted, n))
            .ThenBy(n => EditDistance(wanted.ToUpperInvariant(), n.ToUpperInvariant()))
            .ThenBy(n => n, StringComparer.Ordinal)
            .FirstOrDefault();

    static IEnumerable<string> AndParents(string ns)
    {
        for (var end = ns.Length; end > 0; end = ns.LastIndexOf('.', end - 1))
        {
            yield return ns.Substring(0, end);
        }
    }

    /// <summary>Levenshtein distance: insertions, deletions and substitutions, one each.</summary>
    internal static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
