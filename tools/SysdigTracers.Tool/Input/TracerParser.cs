using System;
using System.Collections.Generic;
using System.Text;

namespace SysdigTracers.Tool.Input;

/// <summary>
/// Reads a tracer with sysdig's rules (docs/recording.md, "The tracer"): <c>DIR:ID:TAGS:ARGS:</c>, a backslash makes
/// the next character literal, anything after the closing <c>:</c> is ignored. What sysdig would reject, or read as
/// incomplete, is an error here, with its reason.
/// </summary>
internal static class TracerParser
{
    /// <summary>Parses <paramref name="text"/>; on failure returns <see langword="null"/> and the reason.</summary>
    public static Tracer? Parse(ReadOnlySpan<char> text, out string? error)
    {
        error = null;
        if (text.Length < 2 || (text[0] != '>' && text[0] != '<') || text[1] != ':')
        {
            error = "a tracer starts with '>:' or '<:'";
            return null;
        }

        bool isEnter = text[0] == '>';
        int position = 2;
        int idEnd = text[position..].IndexOf(':');
        if (idEnd < 0)
        {
            error = "no ':' after the id (incomplete tracer)";
            return null;
        }

        string id = text.Slice(position, idEnd).ToString();
        position += idEnd + 1;
        if (!IsValidId(id, out error))
        {
            return null;
        }

        var tags = new List<string>();
        if (!ReadTags(text, ref position, tags, out error))
        {
            return null;
        }

        var args = new List<KeyValuePair<string, string>>();
        if (!ReadArgs(text, ref position, args, out error))
        {
            return null;
        }

        return new Tracer(isEnter, id, tags, args);
    }

    static bool IsValidId(string id, out string? error)
    {
        error = null;
        if (id.Length == 0 || id == "t" || id == "p" || id == "pp")
        {
            return true;
        }

        string digits = id[0] == '-' ? id[1..] : id;
        if (digits.Length == 0 || !long.TryParse(id, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            error = $"the id '{id}' is not a number, t, p or pp";
            return false;
        }

        if (digits[0] == '0')
        {
            error = $"the id '{id}' begins with 0, which sysdig reads as an incomplete tracer";
            return false;
        }

        return true;
    }

    static bool ReadTags(ReadOnlySpan<char> text, ref int position, List<string> tags, out string? error)
    {
        error = null;
        var tag = new StringBuilder();
        bool any = false;
        while (position < text.Length)
        {
            char c = text[position++];
            if (c == '\\')
            {
                if (position == text.Length)
                {
                    break;
                }

                tag.Append(text[position++]);
                any = true;
            }
            else if (c == '.' || c == ':')
            {
                if (tags.Count == 0 && tag.Length > 0 && tag[0] == '0')
                {
                    error = $"the first tag '{tag}' begins with 0, which sysdig reads as an incomplete tracer";
                    return false;
                }

                if (any || c == '.' || tags.Count > 0)
                {
                    tags.Add(tag.ToString());
                }

                tag.Clear();
                any = false;
                if (c == ':')
                {
                    return true;
                }
            }
            else if (c == '<' || c == '>' || c == '=' || c == '\n')
            {
                error = $"'{c}' in a tag makes the tracer invalid";
                return false;
            }
            else
            {
                tag.Append(c);
                any = true;
            }
        }

        error = "no ':' after the tags (incomplete tracer)";
        return false;
    }

    static bool ReadArgs(ReadOnlySpan<char> text, ref int position, List<KeyValuePair<string, string>> args, out string? error)
    {
        error = null;
        if (position < text.Length && text[position] == ':')
        {
            position++;
            return true;
        }

        var name = new StringBuilder();
        var value = new StringBuilder();
        bool inValue = false;
        while (position < text.Length)
        {
            char c = text[position++];
            if (c == '\\')
            {
                if (position == text.Length)
                {
                    break;
                }

                (inValue ? value : name).Append(text[position++]);
            }
            else if (!inValue)
            {
                if (c == '=')
                {
                    inValue = true;
                }
                else if (c == '<' || c == '>' || c == '\n')
                {
                    error = $"'{c}' in an argument name makes the tracer invalid";
                    return false;
                }
                else if (c == ':' || c == ',')
                {
                    error = $"the argument '{name}' has no '='";
                    return false;
                }
                else
                {
                    name.Append(c);
                }
            }
            else if (c == ',' || c == ':')
            {
                // An '=' inside a value stays in it (sysdig reads x=1\,y=2 as x = "1,y=2").
                args.Add(new KeyValuePair<string, string>(name.ToString(), value.ToString()));
                if (c == ':')
                {
                    return true;
                }

                name.Clear();
                value.Clear();
                inValue = false;
            }
            else
            {
                value.Append(c);
            }
        }

        error = "no closing ':' after the arguments (incomplete tracer)";
        return false;
    }
}
