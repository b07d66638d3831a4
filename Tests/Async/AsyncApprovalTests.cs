using System;
using System.Linq;
using System.Reflection.Metadata;
using ICSharpCode.Decompiler;
using ICSharpCode.Decompiler.CSharp;
using ICSharpCode.Decompiler.TypeSystem;
using NUnit.Framework;

namespace Tests.Async;

/// <summary>
/// The woven code of an async method, one whose result is redacted, an iterator and an async iterator (Roslyn
/// Release build, so the approval does not depend on the test configuration), decompiled without re-sugaring so the state machine shows, and compared with the
/// committed <c>Approvals/*.approved.txt</c> (see <see cref="Approval"/>).
/// </summary>
public class AsyncApprovalTests
{
    [TestCase("AsyncMethod", "AssemblyToProcess.Async.AsyncMethods", "AddAsync")]
    [TestCase("AsyncMethodWithSecretResult", "AssemblyToProcess.Async.AsyncSecrets", "GetTokenAsync")]
    [TestCase("Iterator", "AssemblyToProcess.Async.Iterators", "Range")]
    [TestCase("AsyncIterator", "AssemblyToProcess.Async.AsyncIterators", "CountAsync")]
    public void WovenStateMachine(string name, string typeName, string methodName)
    {
        var path = AsyncFixture.Run(ShapesBuild.RoslynRelease).AssemblyPath;
        var decompiler = Approval.Decompiler(path, new DecompilerSettings(LanguageVersion.Latest)
        {
            AsyncAwait = false,
            YieldReturn = false,
            AsyncEnumerator = false,
        });

        var type = decompiler.TypeSystem.MainModule.GetTypeDefinition(new FullTypeName(typeName))!;
        var kickoff = type.Methods.Single(m => m.Name == methodName);
        var stateMachine = type.NestedTypes.Single(t => t.Name.StartsWith("<" + methodName + ">", StringComparison.Ordinal));
        var code = decompiler.DecompileAsString(new EntityHandle[] { kickoff.MetadataToken, stateMachine.MetadataToken });
        Approval.Verify(name, code);
    }
}
