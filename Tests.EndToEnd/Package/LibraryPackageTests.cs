using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using NUnit.Framework;

namespace Tests.Package;

/// <summary>
/// A library author's path, end to end: two woven libraries, one referencing SysdigTracers.Fody plainly and one
/// with PrivateAssets="All" (as Fody's documentation teaches for add-ins), are packed into the local feed; an
/// application that references only those two library packages runs and writes both libraries' tracers.
/// </summary>
/// <remarks>
/// What NuGet does with the private reference is checked here too: it keeps every dependency of
/// SysdigTracers.Fody (SysdigTracers included) out of the library's package, and nothing in SysdigTracers.Fody
/// can change that. So the build warns (ST0001) with the exact line to add, and the test adds that line.
/// </remarks>
[TestFixture]
[Category("Package")]
[NonParallelizable]
public sealed class LibraryPackageTests
{
    private const string PlainLibrary = PackageWorkspace.TestLibraryPrefix + "Plain";
    private const string PrivateLibrary = PackageWorkspace.TestLibraryPrefix + "Private";

    private static string TargetFramework => $"net{Environment.Version.Major}.0";

    [Test]
    public void An_application_that_only_references_woven_library_packages_writes_their_tracers()
    {
        var workspace = PackageWorkspace.Get();

        // The plain reference: the library's package depends on SysdigTracers.Fody, hence on SysdigTracers.
        var plain = CreateLibrary(PlainLibrary, "Shipping", $@"<PackageReference Include=""{PackageWorkspace.PackageId}"" Version=""{workspace.PackageVersion}"" />");
        var plainPack = Pack(plain);
        Assert.That(plainPack.Output, Does.Not.Contain("ST0001"), plainPack.Describe());
        Assert.That(Dependencies(PlainLibrary), Does.Contain(PackageWorkspace.PackageId));

        // The private reference, as Fody's documentation shows it: the build warns with the line to add...
        var privateLibrary = CreateLibrary(
            PrivateLibrary,
            "Billing",
            $@"<PackageReference Include=""{PackageWorkspace.PackageId}"" Version=""{workspace.PackageVersion}"" PrivateAssets=""All"" />");
        var build = workspace.Dotnet(privateLibrary, "build");
        Assert.That(build.ExitCode, Is.EqualTo(0), build.Describe());
        var warning = Regex.Match(build.Output, @"warning ST0001: .*Add next to it: (?<line><PackageReference [^>]*/>)");
        Assert.That(warning.Success, "ST0001 with the line to add" + Environment.NewLine + build.Describe());
        var line = warning.Groups["line"].Value;
        Assert.That(line, Is.EqualTo($@"<PackageReference Include=""{PackageWorkspace.RuntimePackageId}"" Version=""{workspace.PackageVersion}"" />"));

        // ...because NuGet, told PrivateAssets="All", leaves SysdigTracers out of the library's package.
        var unfixedPack = Pack(privateLibrary);
        Assert.That(Dependencies(PrivateLibrary), Is.Empty, "what NuGet does with a private SysdigTracers.Fody" + Environment.NewLine + unfixedPack.Output);

        // The author adds the line the warning gives; the warning goes, the dependency comes.
        var project = Path.Combine(privateLibrary, PrivateLibrary + ".csproj");
        File.WriteAllText(project, File.ReadAllText(project).Replace("</ItemGroup>", "  " + line + "\n  </ItemGroup>"));
        var fixedPack = Pack(privateLibrary);
        Assert.That(fixedPack.Output, Does.Not.Contain("ST0001"), fixedPack.Describe());
        Assert.That(Dependencies(PrivateLibrary), Is.EqualTo(new[] { PackageWorkspace.RuntimePackageId }));

        // The application knows the two library packages and nothing else.
        var application = workspace.CreateProject("LibraryUser", new Dictionary<string, string>
        {
            ["LibraryUser.csproj"] = $@"<Project Sdk=""Microsoft.NET.Sdk"">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>{TargetFramework}</TargetFramework>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include=""{PlainLibrary}"" Version=""1.0.0"" />
    <PackageReference Include=""{PrivateLibrary}"" Version=""1.0.0"" />
  </ItemGroup>
</Project>
",
            ["Program.cs"] = @"System.Console.WriteLine(""days="" + TracedLib.Shipping.Service.Run(3));
System.Console.WriteLine(""days="" + TracedLib.Billing.Service.Run(4));
",
        });
        var appBuild = workspace.Dotnet(application, "build");
        Assert.That(appBuild.ExitCode, Is.EqualTo(0), appBuild.Describe());

        var run = DotNetCli.RunProcess(
            DotNetCli.DotNetPath,
            application,
            new Dictionary<string, string?> { ["SYSDIG_TRACERS_ECHO"] = "stdout" },
            TimeSpan.FromMinutes(1),
            Path.Combine(application, "bin", "Debug", TargetFramework, "LibraryUser.dll"));

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Describe());
        Assert.That(
            run.Output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0),
            Is.EqualTo(new[]
            {
                ">:t:TracedLib.Shipping.Service.Run:quantity=3:",
                "<:t:TracedLib.Shipping.Service.Run:return=6:",
                "days=6",
                ">:t:TracedLib.Billing.Service.Run:quantity=4:",
                "<:t:TracedLib.Billing.Service.Run:return=8:",
                "days=8",
            }),
            run.Describe());
    }

    private static string CreateLibrary(string id, string area, string weaverReference) =>
        PackageWorkspace.Get().CreateProject(id, new Dictionary<string, string>
        {
            [id + ".csproj"] = $@"<Project Sdk=""Microsoft.NET.Sdk"">
  <PropertyGroup>
    <TargetFramework>netstandard2.0</TargetFramework>
    <PackageId>{id}</PackageId>
    <Version>1.0.0</Version>
    <Authors>test</Authors>
    <Description>A woven library.</Description>
    <PackageOutputPath>{PackageWorkspace.Get().FeedDirectory}</PackageOutputPath>
  </PropertyGroup>
  <ItemGroup>
    {weaverReference}
  </ItemGroup>
</Project>
",
            ["FodyWeavers.xml"] = "<Weavers>\n  <SysdigTracers />\n</Weavers>\n",
            ["Service.cs"] = $@"namespace TracedLib.{area}
{{
    public static class Service
    {{
        [SysdigTracers.Traced(Arguments = true, ReturnValue = true)]
        public static int Run(int quantity) => quantity * 2;
    }}
}}
",
        });

    private static ProcessResult Pack(string library)
    {
        var pack = PackageWorkspace.Get().Dotnet(library, "pack", "--configuration", "Debug");
        Assert.That(pack.ExitCode, Is.EqualTo(0), pack.Describe());
        return pack;
    }

    /// <summary>The ids the packed library depends on, in every target framework group.</summary>
    private static string[] Dependencies(string id)
    {
        using var zip = ZipFile.OpenRead(Path.Combine(PackageWorkspace.Get().FeedDirectory, id + ".1.0.0.nupkg"));
        using var stream = zip.GetEntry(id + ".nuspec")!.Open();
        return XDocument.Load(stream).Descendants().Where(e => e.Name.LocalName == "dependency")
            .Select(e => (string)e.Attribute("id")!).Distinct().OrderBy(d => d, StringComparer.Ordinal).ToArray();
    }
}
