using System.IO;
using System.Runtime.CompilerServices;
using ICSharpCode.Decompiler;
using ICSharpCode.Decompiler.CSharp;
using ICSharpCode.Decompiler.Metadata;
using NUnit.Framework;

namespace Tests;

/// <summary>
/// Approval files of woven code: a decompiler for a woven assembly, and the comparison with the committed
/// <c>Approvals/*.approved.txt</c> next to the calling test's source. On a difference the test writes
/// <c>*.received.txt</c> next to the approved file: review it and rename it to approve.
/// </summary>
public static class Approval
{
    /// <summary>
    /// A decompiler for the woven assembly at <paramref name="path"/> that also finds the runtime library in the test
    /// output folder (the woven copy lives in a <c>fodytemp</c> folder of its own).
    /// </summary>
    public static CSharpDecompiler Decompiler(string path, DecompilerSettings settings)
    {
        var resolver = new UniversalAssemblyResolver(path, false, ".NETCoreApp,Version=v10.0");
        resolver.AddSearchDirectory(TestContext.CurrentContext.TestDirectory);
        settings.ThrowOnAssemblyResolveErrors = false;
        return new CSharpDecompiler(path, resolver, settings);
    }

    /// <summary>
    /// Compares <paramref name="received"/> with <c>Approvals/<paramref name="name"/>.approved.txt</c>. Source paths
    /// that woven code carries (<c>code.file.path</c>) are written relative to <c>{repository}</c>, so that the files
    /// do not depend on where the clone is.
    /// </summary>
    public static void Verify(string name, string received, [CallerFilePath] string sourceFile = "")
    {
        received = received.Replace("\r\n", "\n").TrimEnd() + "\n";
        received = received.Replace(RepositoryRoot(sourceFile) + "/", "{repository}/");
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

    static string RepositoryRoot(string sourceFile)
    {
        var directory = new DirectoryInfo(Path.GetDirectoryName(sourceFile)!);
        while (directory.Parent != null && !File.Exists(Path.Combine(directory.FullName, "SysdigTracers.sln")))
        {
            directory = directory.Parent;
        }

        return directory.FullName;
    }
}
