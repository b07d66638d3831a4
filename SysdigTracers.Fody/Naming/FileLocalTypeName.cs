namespace SysdigTracers.Fody.Naming;

/// <summary>
/// Reads the metadata name the C# compiler gives a file-local type (<c>file class Helper</c>):
/// <c>&lt;FileName&gt;F&lt;hash&gt;__Helper</c>. Every other name that starts with <c>&lt;</c> belongs to code the
/// compiler wrote (display classes, lambda caches, state machines).
/// </summary>
internal static class FileLocalTypeName
{
    /// <summary>
    /// The declared name of a file-local type (<c>Helper</c>, with its arity mark if generic), or null when
    /// <paramref name="metadataName"/> is not the name of one.
    /// </summary>
    public static string? DeclaredName(string metadataName)
    {
        if (!metadataName.StartsWith("<", System.StringComparison.Ordinal))
        {
            return null;
        }

        var close = metadataName.IndexOf('>');
        if (close <= 0 || close + 1 >= metadataName.Length || metadataName[close + 1] != 'F')
        {
            return null;
        }

        var separator = metadataName.IndexOf("__", close, System.StringComparison.Ordinal);
        return separator < 0 ? null : metadataName.Substring(separator + 2);
    }
}
