using System;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using ICSharpCode.Decompiler;
using ICSharpCode.Decompiler.CSharp;
using ICSharpCode.Decompiler.Metadata;
using ICSharpCode.Decompiler.TypeSystem;
using NUnit.Framework;

namespace Tests.Weaving;

/// <summary>
/// The woven code of representative shapes, decompiled to C# and compared with the committed
/// <c>Approvals/*.{Debug|Release}.approved.txt</c> files, so reviewers can see what the weaver produces. On a difference the
/// test writes <c>*.received.txt</c> next to the approved file: review it and rename it to approve.
/// </summary>
public class ApprovalTests
{
    static CSharpDecompiler? decompiler;

    static CSharpDecompiler Decompiler
    {
        get
        {
            if (decompiler == null)
            {
                var path = WeavingFixture.Main.AssemblyPath;
                var resolver = new UniversalAssemblyResolver(path, false, ".NETCoreApp,Version=v10.0");
                resolver.AddSearchDirectory(TestContext.CurrentContext.TestDirectory);
                decompiler = new CSharpDecompiler(path, resolver, new DecompilerSettings(LanguageVersion.Latest)
                {
                    ThrowOnAssemblyResolveErrors = false,
                });
            }

            return decompiler;
        }
    }

    [TestCase("PlainMethod", "AssemblyToProcess.Shapes.Plain", "Add", "Increment")]
    [TestCase("ConstructorChaining", "AssemblyToProcess.Shapes.Constructors", ".ctor")]
    [TestCase("StructMembers", "AssemblyToProcess.Shapes.Point", ".ctor", "Move")]
    [TestCase("GenericMethods", "AssemblyToProcess.Shapes.GenericMethods", "Echo", "Max")]
    [TestCase("RefParametersAndReturns", "AssemblyToProcess.Shapes.RefParameters", "Swap", "TryHalve", "Slot")]
    [TestCase("ExistingTryCatchFinally", "AssemblyToProcess.Shapes.ExistingHandlers", "CatchAndRecover", "Filtered")]
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

        Verify(name + "." + Configuration, code);
    }

    /// <summary>Debug and Release builds of AssemblyToProcess compile to different IL, so each has its approvals.</summary>
    static string Configuration =>
        typeof(AssemblyToProcess.Shapes.Plain).Assembly.GetCustomAttributes(typeof(System.Diagnostics.DebuggableAttribute), false)
            .Cast<System.Diagnostics.DebuggableAttribute>()
            .Any(a => a.IsJITOptimizerDisabled)
            ? "Debug"
            : "Release";

    static void Verify(string name, string received, [CallerFilePath] string sourceFile = "")
    {
        received = received.Replace("\r\n", "\n").TrimEnd() + "\n";
        var directory = Path.Combine(Path.GetDirectoryName(sourceFile)!, "Approvals");
        var approvedPath = Path.Combine(directory, name + ".approved.txt");
        var receivedPath = Path.Combine(directory, name + ".received.txt");
        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).Replace("\r\n", "\n") : null;
        if (approved == received)
        {
            File.Delete(receivedPath);
            return;
        }

        Directory.CreateDirectory(directory);
        File.WriteAllText(receivedPath, received);
        Assert.Fail($"The woven code differs from {approvedPath}; review {receivedPath} and rename it to approve.");
    }
}
