using System;
using System.Linq;
using ICSharpCode.Decompiler;
using ICSharpCode.Decompiler.CSharp;
using ICSharpCode.Decompiler.TypeSystem;
using NUnit.Framework;

namespace Tests.Weaving;

/// <summary>
/// The woven code of representative shapes, decompiled to C# and compared with the committed
/// <c>Approvals/*.{Debug|Release}.approved.txt</c> files (see <see cref="Approval"/>), so reviewers can see what the weaver
/// produces.
/// </summary>
public class ApprovalTests
{
    static CSharpDecompiler? decompiler;

    static CSharpDecompiler Decompiler =>
        decompiler ??= Approval.Decompiler(WeavingFixture.Main.AssemblyPath, new DecompilerSettings(LanguageVersion.Latest));

    [TestCase("PlainMethod", "AssemblyToProcess.Shapes.Plain", "Add", "Describe", "Sum", "Increment")]
    [TestCase("ConstructorChaining", "AssemblyToProcess.Shapes.Constructors", ".ctor")]
    [TestCase("StructMembers", "AssemblyToProcess.Shapes.Point", ".ctor", "Move")]
    [TestCase("GenericMethods", "AssemblyToProcess.Shapes.GenericMethods", "Echo", "Max")]
    [TestCase("RefParametersAndReturns", "AssemblyToProcess.Shapes.RefParameters", "Swap", "TryHalve", "Slot")]
    [TestCase("ExistingTryCatchFinally", "AssemblyToProcess.Shapes.ExistingHandlers", "CatchAndRecover", "Filtered")]
    [TestCase("AggressiveInlining", "AssemblyToProcess.Shapes.InliningHints", "Small", "Large")]
    [TestCase("SecretResults", "AssemblyToProcess.Shapes.SecretResults", "GetAccessToken", "RefreshToken", "ReadSecret")]
    [TestCase("TracerHolder", "<SysdigTracers>MethodTracers", ".cctor")]
    public void WovenCode(string name, string typeName, params string[] methods)
    {
        var type = Decompiler.TypeSystem.MainModule.GetTypeDefinition(new FullTypeName(typeName))!;
        var members = type.Methods.Where(m => methods.Contains(m.Name) && !m.MetadataToken.IsNil).ToList();
        Assert.That(members, Is.Not.Empty);
        var code = Decompiler.DecompileAsString(members.Select(m => m.MetadataToken).ToList());
        if (typeName.StartsWith("<", StringComparison.Ordinal))
        {
            // The holder lists every woven method: keep the approval file to the shapes above.
            code = string.Join("\n", code.Split('\n').Where(l => !l.Contains("MethodTracer(\"", StringComparison.Ordinal) ||
                                                                   l.Contains("Shapes.Plain.", StringComparison.Ordinal) ||
                                                                   l.Contains("Shapes.Point.", StringComparison.Ordinal)));
        }

        Approval.Verify(name + "." + Configuration, code);
    }

    /// <summary>Debug and Release builds of AssemblyToProcess compile to different IL, so each has its approvals.</summary>
    static string Configuration =>
        typeof(AssemblyToProcess.Shapes.Plain).Assembly.GetCustomAttributes(typeof(System.Diagnostics.DebuggableAttribute), false)
            .Cast<System.Diagnostics.DebuggableAttribute>()
            .Any(a => a.IsJITOptimizerDisabled)
            ? "Debug"
            : "Release";
}
