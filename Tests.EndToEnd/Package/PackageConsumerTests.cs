using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security;
using NUnit.Framework;

namespace Tests.Package;

/// <summary>
/// The first ten minutes of a user, end to end: a fresh console project in a temporary folder references ONLY
/// the packed SysdigTracers.Fody (through a nuget.config whose only other source is the machine's, for Fody),
/// adds FodyWeavers.xml and a [Traced] method, builds with `dotnet build`, runs, and shows its tracers.
/// </summary>
[TestFixture]
[Category("Package")]
[NonParallelizable]
public sealed class PackageConsumerTests
{
    private const string LocalFeedKey = "sysdigtracers-under-test";

    private const string ProgramSource = @"using System;
using SysdigTracers;

namespace PackageConsumer
{
    public static class Program
    {
        public static int Main()
        {
            Console.WriteLine(""start"");
            var total = Orders.Total(2, 3);
            Console.WriteLine(""total="" + total);
            Orders.Ship();
            try
            {
                Orders.Cancel();
            }
            catch (InvalidOperationException e)
            {
                Console.WriteLine(""caught "" + e.Message);
            }

            Console.WriteLine(""end"");
            return 0;
        }
    }

    public static class Orders
    {
        [Traced(Arguments = true, ReturnValue = true)]
        public static int Total(int quantity, int price) => quantity * price;

        [Traced(""orders.ship"")]
        public static void Ship() => Console.WriteLine(""shipping"");

        [Traced]
        public static void Cancel() => throw new InvalidOperationException(""already shipped"");
    }
}
";

    [Test]
    public void Consumer_of_the_package_is_woven_and_writes_its_tracers()
    {
        var consumer = CreateConsumer("Consumer", "<SysdigTracers />");

        var build = Build(consumer);
        Assert.That(build.ExitCode, Is.EqualTo(0), build.Describe());

        var output = Path.Combine(consumer, "bin", "Debug", ConsumerTargetFramework);
        Assert.Multiple(() =>
        {
            // The runtime comes from lib/; the weaver and Fody's helpers stay out of the application.
            Assert.That(File.Exists(Path.Combine(output, "SysdigTracers.dll")), "SysdigTracers.dll copied to the output");
            Assert.That(Directory.GetFiles(output, "SysdigTracers.Fody.dll"), Is.Empty, "the weaver is not a reference");
            Assert.That(Directory.GetFiles(output, "Mono.Cecil*.dll"), Is.Empty);
            Assert.That(Directory.GetFiles(output, "FodyHelpers.dll"), Is.Empty);
            // Fody merged weaver/SysdigTracers.Fody.xcf into the FodyWeavers.xsd it wrote for editors.
            var xsd = Path.Combine(consumer, "FodyWeavers.xsd");
            Assert.That(File.Exists(xsd), "FodyWeavers.xsd written by Fody" + Environment.NewLine + build.Output);
            if (File.Exists(xsd))
            {
                Assert.That(File.ReadAllText(xsd), Does.Contain("name=\"SysdigTracers\"").And.Contain("name=\"TraceConstructors\""));
            }
        });

        var run = DotNetCli.RunProcess(
            DotNetCli.DotNetPath,
            consumer,
            new Dictionary<string, string?> { ["SYSDIG_TRACERS_ECHO"] = "stdout" },
            TimeSpan.FromMinutes(1),
            Path.Combine(output, "Consumer.dll"));

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Describe());
        Assert.That(
            Lines(run.Output),
            Is.EqualTo(new[]
            {
                "start",
                ">:t:PackageConsumer.Orders.Total:quantity=2,price=3:",
                "<:t:PackageConsumer.Orders.Total:return=6:",
                "total=6",
                ">:t:orders.ship::",
                "shipping",
                "<:t:orders.ship::",
                ">:t:PackageConsumer.Orders.Cancel::",
                "<:t:PackageConsumer.Orders.Cancel:exception=System.InvalidOperationException:",
                "caught already shipped",
                "end",
            }),
            run.Describe() + Environment.NewLine + "Build:" + Environment.NewLine + build.Output);
    }

    [Test]
    public void Broken_FodyWeavers_xml_fails_the_build_with_a_clear_message()
    {
        var consumer = CreateConsumer("BrokenConsumer", "<SysdigTracers Arguments=\"maybe\" />");

        // A build that recompiles nothing must fail as well (see the test below).
        foreach (var attempt in new[] { "first build", "second build" })
        {
            var build = Build(consumer);

            Assert.That(build.ExitCode, Is.Not.EqualTo(0), attempt + " must fail" + Environment.NewLine + build.Describe());
            var errors = Lines(build.Output).Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)).ToArray();
            Assert.That(
                errors,
                Has.Some.Contains("FodyWeavers.xml").And.Contains("Arguments").And.Contains("maybe"),
                attempt + Environment.NewLine + build.Describe());
        }
    }

    [Test]
    public void Misplaced_Traced_fails_every_build_at_its_location_not_only_the_first()
    {
        var consumer = CreateConsumer("MisplacedConsumer", "<SysdigTracers />");
        File.WriteAllText(Path.Combine(consumer, "Shapes.cs"), @"using SysdigTracers;

namespace PackageConsumer
{
    public abstract class Shape
    {
        public double Scale(double factor) => Area() * factor;

        [Traced]
        public abstract double Area();
    }
}
");

        // MSBuild runs Fody only when the compiler ran. Had the first build left the compiler's output behind (woven in
        // part or not at all), a later build would find it up to date, skip Fody and succeed with the error gone.
        foreach (var attempt in new[] { "first build", "second build", "third build" })
        {
            var build = Build(consumer);
            Assert.That(build.ExitCode, Is.Not.EqualTo(0), attempt + " must fail" + Environment.NewLine + build.Describe());
            Assert.That(
                Lines(build.Output),
                Has.Some.Contains("Shapes.cs(").And.Contains("error").And.Contains("[Traced] cannot work on").And.Contains("Area()"),
                attempt + Environment.NewLine + build.Describe());
        }
    }

    private static string ConsumerTargetFramework => $"net{Environment.Version.Major}.0";

    /// <summary>Writes a console project that knows nothing of this repository but the package name and version.</summary>
    private static string CreateConsumer(string name, string weaverElement)
    {
        var workspace = PackageWorkspace.Get();
        var root = workspace.Root;
        WriteNuGetConfig(workspace);
        // Stop MSBuild's upward search: nothing from the machine's folders above may shape the consumer.
        File.WriteAllText(Path.Combine(root, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(root, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(root, "Directory.Packages.props"), "<Project />\n");

        var project = Path.Combine(root, name);
        if (Directory.Exists(project))
        {
            Directory.Delete(project, recursive: true);
        }

        Directory.CreateDirectory(project);
        File.WriteAllText(Path.Combine(project, "Consumer.csproj"), $@"<Project Sdk=""Microsoft.NET.Sdk"">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>{ConsumerTargetFramework}</TargetFramework>
    <AssemblyName>Consumer</AssemblyName>
    <Nullable>enable</Nullable>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include=""{PackageWorkspace.PackageId}"" Version=""{workspace.PackageVersion}"" />
  </ItemGroup>
</Project>
");
        File.WriteAllText(Path.Combine(project, "FodyWeavers.xml"), $"<Weavers>\n  {weaverElement}\n</Weavers>\n");
        File.WriteAllText(Path.Combine(project, "Program.cs"), ProgramSource);
        return project;
    }

    /// <summary>
    /// The local feed for SysdigTracers.Fody (and nothing else: package source mapping), plus the machine's own
    /// sources for Fody. `clear` drops every other configured source, so the package cannot come from elsewhere.
    /// </summary>
    private static void WriteNuGetConfig(PackageWorkspace workspace)
    {
        var path = Path.Combine(workspace.Root, "nuget.config");
        if (File.Exists(path))
        {
            return;
        }

        var upstream = workspace.UpstreamSources();
        var sources = string.Concat(upstream.Select(s => $"    <add key=\"{SecurityElement.Escape(s.Key)}\" value=\"{SecurityElement.Escape(s.Value)}\" />\n"));
        var mappings = string.Concat(upstream.Select(s =>
            $"    <packageSource key=\"{SecurityElement.Escape(s.Key)}\">\n      <package pattern=\"*\" />\n    </packageSource>\n"));
        File.WriteAllText(path, $@"<?xml version=""1.0"" encoding=""utf-8""?>
<configuration>
  <packageSources>
    <clear />
    <add key=""{LocalFeedKey}"" value=""{SecurityElement.Escape(workspace.FeedDirectory)}"" />
{sources}  </packageSources>
  <packageSourceMapping>
    <packageSource key=""{LocalFeedKey}"">
      <package pattern=""{PackageWorkspace.PackageId}"" />
    </packageSource>
{mappings}  </packageSourceMapping>
</configuration>
");
    }

    /// <summary>One restore and build, as a user types it, with a packages folder of its own.</summary>
    private static ProcessResult Build(string project)
    {
        var workspace = PackageWorkspace.Get();
        return DotNetCli.Run(
            project,
            new Dictionary<string, string?> { ["NUGET_PACKAGES"] = workspace.PackagesDirectory },
            "build",
            "--disable-build-servers",
            "-nodeReuse:false");
    }

    private static string[] Lines(string text) =>
        text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToArray();
}
