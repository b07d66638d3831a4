using System;
using System.IO;
using System.Linq;
using NUnit.Framework;

namespace SysdigTracers.Tool.Tests;

/// <summary>The tool as it ships: packed as the README says, installed with `dotnet tool install --add-source`, run.</summary>
[NonParallelizable]
public class ToolPackageTests
{
    [Test]
    public void The_packed_tool_installs_and_runs()
    {
        string work = Path.Combine(Path.GetTempPath(), "sysdig-tracers-tool-" + Guid.NewGuid().ToString("N"));
        string feed = Path.Combine(work, "feed");
        string tools = Path.Combine(work, "tools");
        try
        {
            string project = Path.Combine(Repository.Root, "tools", "SysdigTracers.Tool", "SysdigTracers.Tool.csproj");
            Run("dotnet", "pack", project, "--configuration", "Release", "-p:PackageOutputPath=" + feed + "/");
            string package = Directory.GetFiles(feed, "SysdigTracers.Tool.*.nupkg").Single();
            string version = Path.GetFileNameWithoutExtension(package)["SysdigTracers.Tool.".Length..];

            Run("dotnet", "tool", "install", "SysdigTracers.Tool", "--version", version, "--tool-path", tools, "--add-source", feed);
            string output = Run(Path.Combine(tools, "sysdig-tracers"), "summary", Repository.Input("shop.rec"));
            Assert.That(output, Does.Contain("MyShop.Shipping.DaysToDeliverAsync"));
        }
        finally
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    static string Run(string file, params string[] args)
    {
        ProcessRunner.Result result = ProcessRunner.Run(file, args);
        Assert.That(result.ExitCode, Is.EqualTo(0), $"{file} {string.Join(" ", args)}:\n{result.Output}\n{result.Error}");
        return result.Output;
    }
}
