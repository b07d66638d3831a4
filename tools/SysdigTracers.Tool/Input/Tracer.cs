using System.Collections.Generic;

namespace SysdigTracers.Tool.Input;

/// <summary>One tracer as sysdig reads it: direction, id as written, tags and arguments, escapes removed.</summary>
/// <param name="IsEnter"><c>&gt;</c> (enter) or <c>&lt;</c> (exit).</param>
/// <param name="Id">The id as written: digits, <c>t</c>, <c>p</c>, <c>pp</c> or empty (0).</param>
internal sealed record Tracer(bool IsEnter, string Id, IReadOnlyList<string> Tags, IReadOnlyList<KeyValuePair<string, string>> Args)
{
    /// <summary>The tags joined with dots, the name of a span everywhere in this tool.</summary>
    public string Tag => string.Join('.', Tags);
}
