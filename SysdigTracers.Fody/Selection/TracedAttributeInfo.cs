using System.Linq;
using Mono.Cecil;

namespace SysdigTracers.Fody.Selection;

/// <summary>What one <c>[Traced]</c> says: its custom tag and the options it sets explicitly.</summary>
internal sealed class TracedAttributeInfo
{
    /// <summary>Full name of the attribute that selects code for tracing.</summary>
    public const string TracedAttributeName = "SysdigTracers.TracedAttribute";

    /// <summary>Full name of the attribute that opts code out of tracing.</summary>
    public const string NoTraceAttributeName = "SysdigTracers.NoTraceAttribute";

    TracedAttributeInfo(string? tag, bool? arguments, bool? returnValue, bool? callToString)
    {
        CallToString = callToString;
        Tag = tag;
        Arguments = arguments;
        ReturnValue = returnValue;
    }

    /// <summary>The custom tag, or <see langword="null"/> for the derived one.</summary>
    public string? Tag { get; }

    /// <summary>The <c>Arguments</c> option when the attribute sets it.</summary>
    public bool? Arguments { get; }

    /// <summary>The <c>ReturnValue</c> option when the attribute sets it.</summary>
    public bool? ReturnValue { get; }

    /// <summary>The <c>CallToString</c> option when the attribute sets it.</summary>
    public bool? CallToString { get; }

    /// <summary>Reads the <c>[Traced]</c> of <paramref name="provider"/>, or returns <see langword="null"/>.</summary>
    public static TracedAttributeInfo? Read(ICustomAttributeProvider? provider)
    {
        if (provider is not { HasCustomAttributes: true })
        {
            return null;
        }

        var attribute = provider.CustomAttributes.FirstOrDefault(a => a.AttributeType.FullName == TracedAttributeName);
        if (attribute == null)
        {
            return null;
        }

        string? tag = null;
        if (attribute.HasConstructorArguments && attribute.ConstructorArguments[0].Value is string ctorTag)
        {
            tag = ctorTag;
        }

        bool? arguments = null;
        bool? returnValue = null;
        bool? callToString = null;
        foreach (var property in attribute.Properties)
        {
            switch (property.Name)
            {
                case "Tag":
                    tag = property.Argument.Value as string;
                    break;
                case "Arguments":
                    arguments = (bool)property.Argument.Value;
                    break;
                case "ReturnValue":
                    returnValue = (bool)property.Argument.Value;
                    break;
                case "CallToString":
                    callToString = (bool)property.Argument.Value;
                    break;
            }
        }

        return new TracedAttributeInfo(tag, arguments, returnValue, callToString);
    }

    /// <summary>Whether <paramref name="provider"/> carries <c>[NoTrace]</c>.</summary>
    public static bool HasNoTrace(ICustomAttributeProvider? provider) =>
        provider is { HasCustomAttributes: true } &&
        provider.CustomAttributes.Any(a => a.AttributeType.FullName == NoTraceAttributeName);
}
