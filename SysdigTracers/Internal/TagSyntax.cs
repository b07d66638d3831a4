namespace SysdigTracers.Internal;

/// <summary>
/// What sysdig's tracer parser accepts in a tag component or an argument name. Compiled into the runtime, which
/// replaces these characters when it writes a tracer, and linked into the weaver, which rejects custom tags that
/// contain them (docs/weaver.md, "Tag character rules", says which rule applies where).
/// </summary>
internal static class TagSyntax
{
    /// <summary>
    /// Whether sysdig cannot read <paramref name="c"/> inside a tag component or an argument name: control characters
    /// and the separators of the tracer format (<c>:</c> <c>&lt;</c> <c>&gt;</c> <c>=</c> <c>\</c>).
    /// </summary>
    internal static bool IsReserved(char c) =>
        c < 0x20 || c == 0x7F || c == ':' || c == '<' || c == '>' || c == '=' || c == '\\';

    /// <summary>Whether sysdig misreads a tag list whose first component starts with <paramref name="c"/>.</summary>
    internal static bool IsMisreadAsFirst(char c) => c == '0';
}
