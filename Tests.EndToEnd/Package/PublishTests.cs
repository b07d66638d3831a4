using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NUnit.Framework;
using Tests.Weaving;

namespace Tests.Package;

/// <summary>
/// The sample application (samples/SampleApp, its sources and FodyWeavers.xml as they are), built against the
/// packages from the local feed, published trimmed and with Native AOT, run, and its tracers checked: the runtime
/// is declared trim- and AOT-safe, and the publish must say nothing against it.
/// </summary>
[TestFixture]
[Category("Package")]
[NonParallelizable]
public sealed class PublishTests
{
    private const string RuntimeIdentifier = "linux-x64";

    [Test]
    public void Trimmed_sample_writes_its_tracers()
    {
        var published = PublishAndRun("SampleTrimmed", "-p:PublishTrimmed=true");

        Assert.That(File.Exists(Path.Combine(published, "SysdigTracers.dll")), "the trimmed runtime sits beside the application");
    }

    [Test]
    public void Native_AOT_sample_writes_its_tracers()
    {
        var linker = DotNetCli.RunProcess("sh", PackageWorkspace.Get().Root, null, TimeSpan.FromSeconds(30), "-c", "command -v clang");
        Assert.That(linker.ExitCode, Is.EqualTo(0), "Native AOT links with clang: apt-get install clang (.ci/run does)");
        var published = PublishAndRun("SampleAot", "-p:PublishAot=true");

        Assert.That(Directory.GetFiles(published, "*.dll"), Is.Empty, "one native executable, no IL left");
    }

    /// <summary>Publishes the sample self-contained for linux-x64, runs it with the echo on, checks its output; returns the publish folder.</summary>
    private static string PublishAndRun(string name, string publishKind)
    {
        var workspace = PackageWorkspace.Get();
        var sample = Path.Combine(workspace.RepositoryRoot, "samples", "SampleApp");
        var files = Directory.GetFiles(sample, "*.cs").Append(Path.Combine(sample, "FodyWeavers.xml"))
            .ToDictionary(f => Path.GetFileName(f), File.ReadAllText);
        files["SampleApp.csproj"] = $@"<Project Sdk=""Microsoft.NET.Sdk"">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net{Environment.Version.Major}.0</TargetFramework>
    <AssemblyName>SampleApp</AssemblyName>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
    <!-- IL3058 / IL2125 for a reference that does not declare itself AOT-compatible / trimmable. -->
    <VerifyReferenceAotCompatibility>true</VerifyReferenceAotCompatibility>
    <VerifyReferenceTrimCompatibility>true</VerifyReferenceTrimCompatibility>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include=""{PackageWorkspace.PackageId}"" Version=""{workspace.PackageVersion}"" />
  </ItemGroup>
</Project>
";
        var project = workspace.CreateProject(name, files);
        var output = Path.Combine(project, "published");

        var publish = workspace.Dotnet(
            project, "publish", "--configuration", "Release", "--runtime", RuntimeIdentifier, "--self-contained", "--output", output, publishKind);

        Assert.That(publish.ExitCode, Is.EqualTo(0), publish.Describe());
        Assert.That(publish.Output, Does.Not.Contain("warning IL"), "no trimming or AOT warning" + Environment.NewLine + publish.Output);
        var run = DotNetCli.RunProcess(
            Path.Combine(output, "SampleApp"),
            project,
            new Dictionary<string, string?> { ["SYSDIG_TRACERS_ECHO"] = "stdout" },
            TimeSpan.FromMinutes(1));
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Describe());
        SampleAppTests.AssertPrintsExpected(run.Output);
        return output;
    }
}
