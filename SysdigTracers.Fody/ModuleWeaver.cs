using System.Collections.Generic;
using System.Linq;
using Fody;
using SysdigTracers.Fody.Configuration;
using SysdigTracers.Fody.Selection;
using SysdigTracers.Fody.Weaving;

namespace SysdigTracers.Fody;

/// <summary>
/// Fody entry point: reads the configuration, selects the methods to trace and hands each to the processor of
/// its shape. All tracer objects live in one generated holder type.
/// </summary>
public sealed class ModuleWeaver : BaseModuleWeaver
{
    /// <inheritdoc />
    public override void Execute()
    {
        var configuration = ConfigurationReader.Read(Config);
        if (ModuleDefinition.Types.Any(t => t.Namespace.Length == 0 && t.Name == TracerFieldHolder.TypeName))
        {
            // Woven before (an assembly built elsewhere and woven again, or a build that did not recompile):
            // weaving again would trace every method twice.
            WriteInfo($"SysdigTracers: {ModuleDefinition.Assembly.Name.Name} is already woven ({TracerFieldHolder.TypeName} exists); nothing to do.");
            return;
        }

        var diagnostics = new Diagnostics(WriteError, WriteWarning);
        var plans = new MethodSelector(ModuleDefinition, configuration, diagnostics).Select();
        if (plans.Count == 0)
        {
            return;
        }

        var references = RuntimeReferences.Resolve(this);
        var holder = new TracerFieldHolder(ModuleDefinition, references);
        var weaver = new MethodWeaver(references, holder, diagnostics);
        foreach (var plan in plans)
        {
            weaver.Weave(plan);
        }

        holder.Complete();
        WriteDebug($"SysdigTracers: {plans.Count} method(s) selected for tracing.");
    }

    /// <inheritdoc />
    public override IEnumerable<string> GetAssembliesForScanning()
    {
        yield return "netstandard";
        yield return "mscorlib";
        yield return "System.Runtime";
        yield return "System.Private.CoreLib";
        yield return "SysdigTracers";
    }

    /// <summary>Woven code calls the runtime library, so its reference must stay.</summary>
    public override bool ShouldCleanReference => false;
}
