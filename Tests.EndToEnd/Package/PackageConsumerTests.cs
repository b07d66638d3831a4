using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NUnit.Framework;

namespace Tests.Package;

/// <summary>
/// The first ten minutes of a user, end to end: a fresh console project in a temporary folder references ONLY
/// the packed SysdigTracers.Fody (which brings SysdigTracers and Fody with it),
/// adds FodyWeavers.xml and a [Traced] method, builds with `dotnet build`, runs, and shows its tracers.
/// </summary>
[TestFixture]
[Category("Package")]
[NonParallelizable]
public sealed class PackageConsumerTests
{
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
        Assert.That(
            build.Output,
            Does.Contain("Fody/SysdigTracers: Consumer: 3 methods traced, 0 methods left out by [NoTrace], 0 methods left out as trivial, 0 methods left out as not traceable; spans capped at 10000/s for this assembly (MaxAssemblySpansPerSecond)."),
            "one line at the build's default verbosity");

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
            // Where an IDE jumps: the attribute Arguments, line 3 column 18 of the file as Fody rewrites it on the first
            // build (an XML declaration, then <Weavers> with the schema attributes, then <SysdigTracers ...>).
            Assert.That(
                errors,
                Has.Some.Match(@"FodyWeavers\.xml\(3,18,3,27\): error .*ST1003: <SysdigTracers>: attribute Arguments=""maybe"" is not a boolean"),
                attempt + Environment.NewLine + build.Describe());
            AssertNotACrash(build, attempt);
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
                Has.Some.Contains("Shapes.cs(7,").And.Contains("error").And.Contains("ST3001: [Traced] cannot work on").And.Contains("Area()"),
                attempt + Environment.NewLine + build.Describe());
            AssertNotACrash(build, attempt);
        }
    }

    /// <summary>
    /// Fody reports exactly a WeavingException as a build error; any other exception, a subclass included, as a weaver
    /// crash with its stack trace.
    /// </summary>
    static void AssertNotACrash(ProcessResult build, string attempt) =>
        Assert.That(
            build.Output,
            Does.Not.Contain("Failed to execute weaver").And.Not.Contain("StackTrace:").And.Not.Contain("unhandled exc"),
            attempt + Environment.NewLine + build.Describe());

    private static string ConsumerTargetFramework => $"net{Environment.Version.Major}.0";

    /// <summary>Writes a console project that knows nothing of this repository but the package name and version.</summary>
    private static string CreateConsumer(string name, string weaverElement)
    {
        var workspace = PackageWorkspace.Get();
        return workspace.CreateProject(name, new Dictionary<string, string>
        {
            ["Consumer.csproj"] = $@"<Project Sdk=""Microsoft.NET.Sdk"">
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
",
            ["FodyWeavers.xml"] = $"<Weavers>\n  {weaverElement}\n</Weavers>\n",
            ["Program.cs"] = ProgramSource,
        });
    }

    /// <summary>One restore and build, as a user types it, with a packages folder of its own.</summary>
    private static ProcessResult Build(string project) => PackageWorkspace.Get().Dotnet(project, "build");

    private static string[] Lines(string text) =>
        text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToArray();
}
