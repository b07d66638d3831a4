using System.Collections.Generic;
using Fody;

namespace SysdigTracers.Fody;

/// <summary>Fody entry point: finds the methods to trace and hands each to its processor.</summary>
public sealed class ModuleWeaver : BaseModuleWeaver
{
    public override void Execute()
    {
    }

    public override IEnumerable<string> GetAssembliesForScanning()
    {
        yield return "netstandard";
        yield return "mscorlib";
        yield return "System.Runtime";
        yield return "SysdigTracers";
    }

    public override bool ShouldCleanReference => false;
}
