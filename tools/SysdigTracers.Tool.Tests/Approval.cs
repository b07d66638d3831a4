using System.IO;
using System.Runtime.CompilerServices;
using NUnit.Framework;

namespace SysdigTracers.Tool.Tests;

/// <summary>
/// Compares a command's output with the committed <c>Approvals/NAME.approved.txt</c>; on a difference writes
/// <c>NAME.received.txt</c> next to it: review it and rename it to approve.
/// </summary>
internal static class Approval
{
    public static void Verify(string name, string received, [CallerFilePath] string sourceFile = "")
    {
        received = received.Replace("\r\n", "\n").TrimEnd() + "\n";
        string directory = Path.Combine(Path.GetDirectoryName(sourceFile)!, "Approvals");
        string approvedPath = Path.Combine(directory, name + ".approved.txt");
        string receivedPath = Path.Combine(directory, name + ".received.txt");
        string? approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).Replace("\r\n", "\n") : null;
        if (approved == received)
        {
            File.Delete(receivedPath);
            return;
        }

        Directory.CreateDirectory(directory);
        File.WriteAllText(receivedPath, received);
        Assert.Fail($"The output differs from {approvedPath}; review {receivedPath} and rename it to approve.");
    }
}
