using Mono.Cecil;

namespace SysdigTracers.Fody.Naming;

/// <summary>Where a custom tag (<c>[Traced("tag")]</c>) was written, which decides what it replaces.</summary>
internal enum CustomTagOwner
{
    /// <summary>On the method: the tag replaces the whole derived tag.</summary>
    Method,

    /// <summary>On the accessor's property: the tag replaces <c>Namespace.Type.Property</c>; the accessor kind follows.</summary>
    Property,

    /// <summary>On the declaring type or an enclosing type: the tag replaces that type's <c>Namespace.Type</c>.</summary>
    Type,

    /// <summary>On the assembly: the tag is put in front of the derived tag.</summary>
    Assembly,
}

/// <summary>A custom tag and the place it was written.</summary>
internal sealed class CustomTag
{
    /// <summary>Creates the tag <paramref name="text"/> written on <paramref name="owner"/>.</summary>
    public CustomTag(CustomTagOwner owner, string text, TypeDefinition? type = null)
    {
        Owner = owner;
        Text = text;
        Type = type;
    }

    /// <summary>Where the tag was written.</summary>
    public CustomTagOwner Owner { get; }

    /// <summary>The tag as written.</summary>
    public string Text { get; }

    /// <summary>The type that carries the tag, for <see cref="CustomTagOwner.Type"/>.</summary>
    public TypeDefinition? Type { get; }
}
