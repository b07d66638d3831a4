using System;
using System.Xml.Linq;

namespace SysdigTracers.Fody.Configuration;

/// <summary>
/// A mistake in the <c>&lt;SysdigTracers&gt;</c> element of FodyWeavers.xml: a stable code per kind of mistake
/// (README, "Build errors and warnings"), the message, and the attribute or element at fault, so that the build
/// can point at its line and column. Deliberately not a <c>WeavingException</c>: Fody reports exactly that type as a
/// build error and any other, subclasses included, as a crash with a stack trace, so the weaver turns this into a
/// plain <c>WeavingException</c> at the culprit's location (<see cref="ModuleWeaver"/>).
/// </summary>
internal sealed class ConfigurationError : Exception
{
    /// <summary>An unknown attribute.</summary>
    public const string UnknownAttribute = "ST1001";

    /// <summary>An unknown element.</summary>
    public const string UnknownElement = "ST1002";

    /// <summary>A flag that is not the word <c>true</c> or <c>false</c>.</summary>
    public const string NotABoolean = "ST1003";

    /// <summary>A namespace list that names no namespace.</summary>
    public const string EmptyNamespaceList = "ST1004";

    /// <summary>A malformed namespace pattern.</summary>
    public const string MalformedPattern = "ST1005";

    /// <summary>A namespace list element that contains elements.</summary>
    public const string ElementsInNamespaceList = "ST1006";

    /// <summary>An <c>ActivitySourceName</c> that cannot name an ActivitySource.</summary>
    public const string InvalidSourceName = "ST1007";

    /// <summary>A <c>MaxSpansPerSecond</c> or <c>MaxAssemblySpansPerSecond</c> that is not a whole number from 0 up.</summary>
    public const string InvalidCeiling = "ST1008";

    /// <summary>A <c>RedactParameters</c> that lists no word, or a word that cannot be part of a parameter name.</summary>
    public const string InvalidRedactWord = "ST1009";

    /// <summary>A <c>MinimumCodeSize</c> that is not a whole number from 0 up.</summary>
    public const string InvalidCodeSize = "ST1010";

    /// <summary>Creates the error; <paramref name="text"/> says what is wrong, without the code.</summary>
    public ConfigurationError(string code, string text, XObject culprit)
        : base($"{code}: <SysdigTracers>: {text}")
    {
        Code = code;
        Text = text;
        Culprit = culprit;
    }

    /// <summary>The stable code, <c>ST1xxx</c>.</summary>
    public string Code { get; }

    /// <summary>What is wrong, without the code.</summary>
    public string Text { get; }

    /// <summary>The attribute or element at fault, in the configuration element the weaver was given.</summary>
    public XObject Culprit { get; }
}
