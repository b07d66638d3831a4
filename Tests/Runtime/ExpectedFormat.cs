using System.Collections.Generic;
using System.Text;

namespace Tests.Runtime;

/// <summary>
/// The documented sanitising rules, written independently of the runtime's encoder (string level, no byte budget):
/// what the reference parser must read back from a tracer.
/// </summary>
public static class ExpectedFormat
{
    /// <summary>Tags from a dotted tag string: components split at dots, rejected characters as <c>_</c>,
    /// empty components as <c>_</c>, a first component starting with <c>0</c> prefixed with <c>_</c>.</summary>
    public static IReadOnlyList<string> Tags(string? dotted, bool continuation = false)
    {
        var tags = new List<string>();
        string[] parts = (dotted ?? string.Empty).Split('.');
        for (int i = 0; i < parts.Length; i++)
        {
            string part = Sanitise(parts[i], isTag: true);
            if (part.Length == 0)
            {
                part = "_";
            }
            else if (i == 0 && !continuation && part[0] == '0')
            {
                part = "_" + part;
            }

            tags.Add(part);
        }

        return tags;
    }

    public static string Name(string? name) => string.IsNullOrEmpty(name) ? "_" : Sanitise(name!, isTag: false);

    /// <summary>Values keep everything but C0 controls other than tab (a space) and lone surrogates (U+FFFD).</summary>
    public static string Value(string value)
    {
        var builder = new StringBuilder(value.Length);
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                builder.Append(c).Append(value[++i]);
            }
            else if (char.IsSurrogate(c))
            {
                builder.Append('\uFFFD');
            }
            else if (c < 0x20 && c != '\t')
            {
                builder.Append(' ');
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static string Sanitise(string text, bool isTag)
    {
        var builder = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
            }
            else if (char.IsSurrogate(c) || c < 0x20 || c == 0x7F || c == ':' || c == '<' || c == '>' || c == '=' ||
                     c == '\\' || (isTag ? c == '.' : c == ','))
            {
                builder.Append('_');
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
