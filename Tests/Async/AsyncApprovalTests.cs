using System;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Runtime.CompilerServices;
using ICSharpCode.Decompiler;
using ICSharpCode.Decompiler.CSharp;
using ICSharpCode.Decompiler.Metadata;
using ICSharpCode.Decompiler.TypeSystem;
using NUnit.Framework;

namespace Tests.Async;

/// <summary>
/// The woven code of one async method and one iterator (Roslyn Release build, so the approval does not depend on
/// the test configuration), decompiled without re-sugaring so the state machine shows, and compared with the
/// committed <c>Approvals/*.approved.txt</c>. On a difference the test writes <c>*.received.txt</c> next to it:
/// review it and rename it to approve.
/// </summary>
public class AsyncApprovalTests
{
    [TestCase("AsyncMethod", "AssemblyToProcess.Async.AsyncMethods", "AddAsync")]
    [TestCase("Iterator", "AssemblyToProcess.Async.Iterators", "Range")]
    [TestCase("AsyncIterator", "AssemblyToProcess.Async.AsyncIterators", "CountAsync")]
    public void WovenStateMachine(string name, string typeName, string methodName)
    {
        var path = AsyncFixture.Run(ShapesBuild.RoslynRelease).AssemblyPath;
        var resolver = new UniversalAssemblyResolver(path, false, ".NETCoreApp,Version=v10.0");
        resolver.AddSearchDirectory(TestContext.CurrentContext.TestDirectory);
        var decompiler = new CSharpDecompiler(path, resolver, new DecompilerSettings(LanguageVersion.Latest)
        {
            ThrowOnAssemblyResolveErrors = false,
            AsyncAwait = false,
            YieldReturn = false,
            AsyncEnumerator = false,
        });

        var type = decompiler.TypeSystem.MainModule.GetTypeDefinition(new FullTypeName(typeName))!;
        var stub = type.Methods.Single(m => m.Name == methodName);
        var stateMachine = type.NestedTypes.Single(t => t.Name.StartsWith("<" + methodName + ">", StringComparison.Ordinal));
        var code = decompiler.DecompileAsString(new EntityHandle[] { stub.MetadataToken, stateMachine.MetadataToken });
        Verify(name, code);
    }

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
