using SysdigTracers.Fody.Selection;

namespace SysdigTracers.Fody.Weaving;

/// <summary>Weaves one <see cref="MethodShape"/> of method (see <see cref="MethodWeaver"/> for the dispatch).</summary>
internal interface IMethodProcessor
{
    /// <summary>Rewrites <see cref="TracingPlan.Method"/> so that it writes its enter and exit tracers.</summary>
    void Process(TracingPlan plan);
}
