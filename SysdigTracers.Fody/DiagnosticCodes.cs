namespace SysdigTracers.Fody;

/// <summary>
/// The stable codes of the build errors and warnings about the code (README, "Build errors and warnings"); each is
/// reported at the source line of the member at fault. FodyWeavers.xml's have theirs in
/// <see cref="Configuration.ConfigurationError"/>.
/// </summary>
internal static class DiagnosticCodes
{
    /// <summary>Error: <c>[Traced]</c> on a member without a body (abstract, interface member, extern).</summary>
    public const string NoBody = "ST3001";

    /// <summary>Error: <c>[Traced]</c> and <c>[NoTrace]</c> on the same method, property or type.</summary>
    public const string TracedAndNoTrace = "ST3002";

    /// <summary>Error: a custom tag in <c>[Traced("…")]</c> that sysdig cannot take.</summary>
    public const string InvalidTag = "ST3003";

    /// <summary>Warning: an async method or iterator whose state machine lacks the C# compiler's layout; left untraced.</summary>
    public const string UnknownStateMachine = "ST3004";

    /// <summary>Error: weaving a method failed (a bug in the weaver); the message names the method and the exception.</summary>
    public const string WeavingFailed = "ST3005";

    /// <summary>Error: methods are selected but the project does not reference the SysdigTracers runtime.</summary>
    public const string NoRuntime = "ST3006";
}
