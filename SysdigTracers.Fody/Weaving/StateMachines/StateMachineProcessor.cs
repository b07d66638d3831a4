using Mono.Cecil;
using SysdigTracers.Fody.Naming;
using SysdigTracers.Fody.Selection;

namespace SysdigTracers.Fody.Weaving.StateMachines;

/// <summary>
/// What the async method, iterator and async iterator processors share: the references and the holder, finding the
/// state machine the kickoff method's attribute names, and the warning for a state machine whose layout is not the C#
/// compiler's (the method is then left untraced).
/// </summary>
internal abstract class StateMachineProcessor : IMethodProcessor
{
    readonly string attributeName;
    readonly Diagnostics diagnostics;

    /// <summary>Creates the processor of the methods that carry <paramref name="attributeName"/>.</summary>
    protected StateMachineProcessor(RuntimeReferences references, TracerFieldHolder holder, Diagnostics diagnostics, string attributeName)
    {
        References = references;
        Holder = holder;
        this.diagnostics = diagnostics;
        this.attributeName = attributeName;
    }

    /// <summary>The runtime members woven code uses.</summary>
    protected RuntimeReferences References { get; }

    /// <summary>The holder of the tracer fields.</summary>
    protected TracerFieldHolder Holder { get; }

    /// <inheritdoc />
    public abstract void Process(TracingPlan plan);

    /// <summary>The state machine of <paramref name="kickoff"/> (see <see cref="StateMachineType.Find"/>), or null.</summary>
    protected StateMachineType? FindStateMachine(MethodDefinition kickoff) =>
        StateMachineType.Find(kickoff, attributeName, References.CompilerGeneratedConstructor);

    /// <summary>Warns that <paramref name="kickoff"/> is left untraced: its state machine lacks <paramref name="expectedLayout"/>.</summary>
    protected void WarnUnknownLayout(MethodDefinition kickoff, string kind, string expectedLayout) =>
        diagnostics.LeftUntraced(
            DiagnosticCodes.UnknownStateMachine,
            $"'{CSharpName.Of(kickoff)}' is {kind} whose state machine does not have the layout of the C# compiler's " +
            $"({expectedLayout}); it is left untraced.",
            kickoff);
}
