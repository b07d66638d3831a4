using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using NUnit.Framework;

namespace Tests.Package;

/// <summary>
/// Packs the runtime project as users would (`dotnet pack`) and checks that the .nupkg is what Fody 6 expects:
/// the build props, the weaver and its schema, the runtime for each target, and its dependencies: Fody, and for
/// netstandard2.0 System.Diagnostics.DiagnosticSource.
/// </summary>
[TestFixture]
[Category("Package")]
public sealed class PackageLayoutTests
{
    private static readonly string[] RuntimeTargets = { "netstandard2.0", "net8.0" };

    private static readonly string[] WeaverOptionAttributes =
        { "IncludeNamespaces", "ExcludeNamespaces", "TraceConstructors", "TraceProperties", "Arguments", "ReturnValue", "ActivitySourceName", "TraceContext" };

    private static readonly string[] BooleanOptions = { "TraceConstructors", "TraceProperties", "Arguments", "ReturnValue", "TraceContext" };

    private static readonly string[] WeaverOptionElements = { "IncludeNamespaces", "ExcludeNamespaces" };

    [Test]
    public void Package_holds_exactly_the_Fody_layout()
    {
        var entries = PackageEntries(PackageWorkspace.Get().PackagePath)
            .Where(e => !IsOpcPart(e))
            .OrderBy(e => e, StringComparer.Ordinal)
            .ToArray();

        var expected = new List<string>
        {
            "README.md",
            "SysdigTracers.Fody.nuspec",
            "build/SysdigTracers.Fody.props",
            "weaver/SysdigTracers.Fody.dll",
            "weaver/SysdigTracers.Fody.xcf",
        };
        foreach (var target in RuntimeTargets)
        {
            expected.Add($"lib/{target}/SysdigTracers.dll");
            expected.Add($"lib/{target}/SysdigTracers.xml");
        }

        Assert.That(entries, Is.EqualTo(expected.OrderBy(e => e, StringComparer.Ordinal)), "entries of the .nupkg (OPC parts left out)");
    }

    [Test]
    public void Nuspec_depends_on_Fody_in_every_group_and_on_DiagnosticSource_for_netstandard()
    {
        var metadata = Nuspec().Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        var groups = metadata.Elements().Single(e => e.Name.LocalName == "dependencies").Elements().ToArray();

        Assert.That(groups.Select(g => g.Name.LocalName), Is.All.EqualTo("group"), "dependencies are grouped per target framework");
        Assert.That(
            groups.Select(g => (string?)g.Attribute("targetFramework")),
            Is.EquivalentTo(new[] { ".NETStandard2.0", "net8.0" }));
        foreach (var group in groups)
        {
            var netStandard = (string?)group.Attribute("targetFramework") == ".NETStandard2.0";
            var dependencies = group.Elements().ToArray();
            // ActivitySource: a package for netstandard2.0, in the framework from .NET 5 on.
            Assert.That(
                dependencies.Select(d => (string?)d.Attribute("id")),
                Is.EquivalentTo(netStandard ? new[] { "Fody", "System.Diagnostics.DiagnosticSource" } : new[] { "Fody" }),
                $"dependencies of {group}");
            var fody = dependencies.Single(d => (string?)d.Attribute("id") == "Fody");
            Assert.Multiple(() =>
            {
                Assert.That((string?)fody.Attribute("version"), Does.StartWith("6."));
                // PrivateAssets="None": the consumer gets Fody's build targets, which run the weaver.
                Assert.That((string?)fody.Attribute("include"), Is.EqualTo("All"));
                Assert.That(fody.Attribute("exclude"), Is.Null);
            });
            if (netStandard)
            {
                var diagnosticSource = dependencies.Single(d => (string?)d.Attribute("id") == "System.Diagnostics.DiagnosticSource");
                Assert.That((string?)diagnosticSource.Attribute("version"), Is.EqualTo("8.0.1"));
            }
        }
    }

    [Test]
    public void Nuspec_has_the_metadata_a_user_expects()
    {
        var metadata = Nuspec().Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string? Value(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;
        var license = metadata.Elements().Single(e => e.Name.LocalName == "license");
        var repository = metadata.Elements().Single(e => e.Name.LocalName == "repository");

        Assert.Multiple(() =>
        {
            Assert.That(Value("id"), Is.EqualTo(PackageWorkspace.PackageId));
            Assert.That(Value("version"), Is.EqualTo(PackageWorkspace.Get().PackageVersion));
            Assert.That(Value("description"), Does.Contain("sysdig").And.Contain("[Traced]"));
            Assert.That((string?)license.Attribute("type"), Is.EqualTo("expression"));
            Assert.That(license.Value, Is.EqualTo("MIT"));
            Assert.That(Value("readme"), Is.EqualTo("README.md"));
            Assert.That(Value("tags"), Does.Contain("Fody").And.Contain("sysdig"));
            Assert.That(Value("authors"), Is.Not.Empty);
            Assert.That((string?)repository.Attribute("type"), Is.EqualTo("git"));
            Assert.That((string?)repository.Attribute("url"), Does.StartWith("https://"));
        });
    }

    [Test]
    public void Build_props_adds_the_packaged_weaver_to_WeaverFiles()
    {
        var props = XDocument.Parse(ReadEntry("build/SysdigTracers.Fody.props"));
        var weaverFiles = props.Descendants().Where(e => e.Name.LocalName == "WeaverFiles").ToArray();

        Assert.That(weaverFiles, Has.Length.EqualTo(1));
        Assert.That(
            (string?)weaverFiles[0].Attribute("Include"),
            Is.EqualTo(@"$(MSBuildThisFileDirectory)..\weaver\$(MSBuildThisFileName).dll"),
            "resolves to weaver/SysdigTracers.Fody.dll from build/SysdigTracers.Fody.props");
    }

    [Test]
    public void Weaver_is_a_netstandard2_0_assembly_with_a_ModuleWeaver()
    {
        using var pe = new PEReader(new MemoryStream(ReadEntryBytes("weaver/SysdigTracers.Fody.dll")));
        var reader = pe.GetMetadataReader();
        var types = reader.TypeDefinitions.Select(h => reader.GetString(reader.GetTypeDefinition(h).Name)).ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(reader.GetString(reader.GetAssemblyDefinition().Name), Is.EqualTo("SysdigTracers.Fody"));
            Assert.That(types, Does.Contain("ModuleWeaver"), "Fody instantiates the class named ModuleWeaver");
            Assert.That(TargetFramework(reader), Is.EqualTo(".NETStandard,Version=v2.0"));
        });
    }

    [TestCase("netstandard2.0", ".NETStandard,Version=v2.0")]
    [TestCase("net8.0", ".NETCoreApp,Version=v8.0")]
    public void Runtime_is_packed_for_each_target_with_its_xml_docs(string folder, string targetFramework)
    {
        using var pe = new PEReader(new MemoryStream(ReadEntryBytes($"lib/{folder}/SysdigTracers.dll")));
        var reader = pe.GetMetadataReader();
        var docs = XDocument.Parse(ReadEntry($"lib/{folder}/SysdigTracers.xml"));

        Assert.Multiple(() =>
        {
            Assert.That(reader.GetString(reader.GetAssemblyDefinition().Name), Is.EqualTo("SysdigTracers"));
            Assert.That(TargetFramework(reader), Is.EqualTo(targetFramework));
            Assert.That(
                docs.Descendants("member").Select(m => (string?)m.Attribute("name")),
                Does.Contain("T:SysdigTracers.TracedAttribute"));
        });
    }

    [Test]
    public void Symbols_package_holds_the_pdbs()
    {
        var entries = PackageEntries(PackageWorkspace.Get().SymbolsPackagePath).Where(e => !IsOpcPart(e)).ToArray();

        Assert.That(
            entries.Where(e => e.EndsWith(".pdb", StringComparison.Ordinal)),
            Is.EquivalentTo(RuntimeTargets.Select(t => $"lib/{t}/SysdigTracers.pdb")));
    }

    [Test]
    public void Xcf_documents_every_option()
    {
        var xcf = XDocument.Parse(ReadEntry("weaver/SysdigTracers.Fody.xcf"));
        XNamespace xs = "http://www.w3.org/2001/XMLSchema";

        Assert.That(xcf.Root!.Name, Is.EqualTo(xs + "complexType"));
        var attributes = xcf.Root.Elements(xs + "attribute").ToDictionary(a => (string)a.Attribute("name")!);
        var elements = xcf.Root.Descendants(xs + "element").ToDictionary(a => (string)a.Attribute("name")!);

        Assert.Multiple(() =>
        {
            Assert.That(attributes.Keys, Is.EquivalentTo(WeaverOptionAttributes));
            Assert.That(elements.Keys, Is.EquivalentTo(WeaverOptionElements));
            foreach (var option in attributes.Values.Concat(elements.Values))
            {
                Assert.That(
                    option.Descendants(xs + "documentation").SingleOrDefault()?.Value,
                    Is.Not.Null.And.Length.GreaterThan(40),
                    $"documentation of {option.Attribute("name")}");
            }

            foreach (var flag in BooleanOptions)
            {
                // Not xs:boolean, which also accepts 1 and 0: the weaver takes the words true and false only.
                var attribute = attributes[flag];
                Assert.That(attribute.Attribute("type"), Is.Null, $"{flag} has its own restricted type");
                var restriction = attribute.Element(xs + "simpleType")?.Element(xs + "restriction");
                Assert.That((string?)restriction?.Attribute("base"), Is.EqualTo("xs:token"), flag);
                Assert.That(
                    restriction?.Elements().Select(e => e.Name.LocalName + "=" + (string?)e.Attribute("value")),
                    Is.EqualTo(new[] { "enumeration=true", "enumeration=false" }),
                    flag);
            }
        });
    }

    [Test]
    public void Xcf_declares_exactly_the_options_the_weaver_reads()
    {
        // The weaver's configuration reader names what it knows when it meets something it does not.
        static string[] Known(string config, string label)
        {
            var error = Assert.Throws<Fody.WeavingException>(
                () => SysdigTracers.Fody.Configuration.ConfigurationReader.Read(XElement.Parse(config)))!;
            var match = System.Text.RegularExpressions.Regex.Match(error.Message, label + @": (?<names>[^.]+)\.");
            Assert.That(match.Success, $"'{label}' in: {error.Message}");
            return match.Groups["names"].Value.Split(',').Select(n => n.Trim().Trim('<', '>')).ToArray();
        }

        var xcf = XDocument.Parse(ReadEntry("weaver/SysdigTracers.Fody.xcf"));
        XNamespace xs = "http://www.w3.org/2001/XMLSchema";

        Assert.Multiple(() =>
        {
            Assert.That(
                xcf.Root!.Elements(xs + "attribute").Select(a => (string?)a.Attribute("name")),
                Is.EquivalentTo(Known("<SysdigTracers NotAnOption=\"x\" />", "Known attributes")));
            Assert.That(
                xcf.Root!.Descendants(xs + "element").Select(a => (string?)a.Attribute("name")),
                Is.EquivalentTo(Known("<SysdigTracers><NotAnOption /></SysdigTracers>", "Known elements")));
        });
    }

    [TestCase("<SysdigTracers />", true)]
    [TestCase("<SysdigTracers IncludeNamespaces=\"MyApp.Orders|MyApp.Billing*\" ExcludeNamespaces=\"MyApp.Orders.Internal\" TraceConstructors=\"true\" TraceProperties=\"false\" Arguments=\"true\" ReturnValue=\"false\" />", true)]
    [TestCase("<SysdigTracers><IncludeNamespaces>\n  MyApp.Orders\n  MyApp.Billing*\n</IncludeNamespaces><ExcludeNamespaces>MyApp.Orders.Internal</ExcludeNamespaces></SysdigTracers>", true)]
    [TestCase("<SysdigTracers Arguments=\"maybe\" />", false)]
    [TestCase("<SysdigTracers TraceConstructors=\"1\" />", false)]
    [TestCase("<SysdigTracers ReturnValue=\"0\" />", false)]
    [TestCase("<SysdigTracers TraceEverything=\"true\" />", false)]
    [TestCase("<SysdigTracers><Namespaces>MyApp</Namespaces></SysdigTracers>", false)]
    public void Xcf_gives_editors_validation_of_FodyWeavers_xml(string weaverElement, bool valid)
    {
        var errors = ValidateAgainstXcf(weaverElement);

        if (valid)
        {
            Assert.That(errors, Is.Empty);
        }
        else
        {
            Assert.That(errors, Is.Not.Empty);
        }
    }

    /// <summary>Validates <c>&lt;Weavers&gt;<paramref name="weaverElement"/>&lt;/Weavers&gt;</c> as an editor would.</summary>
    private static List<string> ValidateAgainstXcf(string weaverElement)
    {
        // Fody builds the consumer's FodyWeavers.xsd by placing each add-in's .xcf inside
        // <xs:element name="AddinName">; the same composition here validates sample configurations.
        var xsd = $@"<xs:schema xmlns:xs=""http://www.w3.org/2001/XMLSchema"" elementFormDefault=""qualified"">
  <xs:element name=""Weavers"">
    <xs:complexType>
      <xs:all>
        <xs:element name=""SysdigTracers"" minOccurs=""0"" maxOccurs=""1"">{StripDeclaration(ReadEntry("weaver/SysdigTracers.Fody.xcf"))}</xs:element>
      </xs:all>
    </xs:complexType>
  </xs:element>
</xs:schema>";
        var schemas = new XmlSchemaSet();
        schemas.Add(null, XmlReader.Create(new StringReader(xsd)));
        schemas.Compile();

        var errors = new List<string>();
        XDocument.Parse($"<Weavers>{weaverElement}</Weavers>").Validate(schemas, (_, e) => errors.Add(e.Message));
        return errors;
    }

    [TestCase("true")]
    [TestCase("false")]
    [TestCase(" true ")]
    [TestCase("True")]
    [TestCase("FALSE")]
    [TestCase("1")]
    [TestCase("0")]
    [TestCase("yes")]
    [TestCase("")]
    public void Xcf_never_accepts_a_flag_value_the_weaver_rejects(string value)
    {
        // The editor must not call valid a FodyWeavers.xml that then fails the build.
        foreach (var flag in BooleanOptions)
        {
            var element = new XElement("SysdigTracers", new XAttribute(flag, value));
            var schemaErrors = ValidateAgainstXcf(element.ToString());
            bool weaverAccepts;
            try
            {
                SysdigTracers.Fody.Configuration.ConfigurationReader.Read(element);
                weaverAccepts = true;
            }
            catch (Fody.WeavingException)
            {
                weaverAccepts = false;
            }

            if (schemaErrors.Count == 0)
            {
                Assert.That(weaverAccepts, $"{flag}=\"{value}\": valid for the schema, so the weaver must take it");
            }
        }
    }

    [Test]
    public void Pack_fails_clearly_when_the_weaver_was_not_built()
    {
        var workspace = PackageWorkspace.Get();
        var missing = Path.Combine(workspace.Root, "no-weaver-here") + Path.DirectorySeparatorChar;
        var output = Path.Combine(workspace.Root, "feed-without-weaver");

        var pack = DotNetCli.Run(
            workspace.RepositoryRoot,
            null,
            "pack",
            Path.Combine(workspace.RepositoryRoot, "SysdigTracers", "SysdigTracers.csproj"),
            "--configuration", PackageWorkspace.Configuration,
            "--output", output,
            "--disable-build-servers",
            "-nodeReuse:false",
            "-p:SysdigTracersWeaverDir=" + missing);

        Assert.That(pack.ExitCode, Is.Not.EqualTo(0), pack.Describe());
        Assert.That(pack.Output, Does.Contain("the weaver " + missing + "SysdigTracers.Fody.dll does not exist"), pack.Describe());
        Assert.That(Directory.Exists(output) ? Directory.GetFiles(output, "*.nupkg") : Array.Empty<string>(), Is.Empty);
    }

    private static bool IsOpcPart(string entry) =>
        entry.StartsWith("_rels/", StringComparison.Ordinal)
        || entry.StartsWith("package/services/", StringComparison.Ordinal)
        || entry == "[Content_Types].xml";

    private static IEnumerable<string> PackageEntries(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        return zip.Entries.Select(e => e.FullName).ToArray();
    }

    private static XDocument Nuspec() => XDocument.Parse(ReadEntry("SysdigTracers.Fody.nuspec"));

    private static string ReadEntry(string name)
    {
        using var reader = new StreamReader(new MemoryStream(ReadEntryBytes(name)));
        return reader.ReadToEnd();
    }

    private static byte[] ReadEntryBytes(string name)
    {
        using var zip = ZipFile.OpenRead(PackageWorkspace.Get().PackagePath);
        var entry = zip.GetEntry(name);
        Assert.That(entry, Is.Not.Null, $"{name} in the package");
        using var stream = entry!.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string StripDeclaration(string xml) => XDocument.Parse(xml).Root!.ToString();

    private static string? TargetFramework(MetadataReader reader)
    {
        foreach (var handle in reader.GetAssemblyDefinition().GetCustomAttributes())
        {
            var attribute = reader.GetCustomAttribute(handle);
            if (attribute.Constructor.Kind != HandleKind.MemberReference)
            {
                continue;
            }

            var constructor = reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor);
            if (constructor.Parent.Kind != HandleKind.TypeReference
                || reader.GetString(reader.GetTypeReference((TypeReferenceHandle)constructor.Parent).Name) != "TargetFrameworkAttribute")
            {
                continue;
            }

            var blob = reader.GetBlobReader(attribute.Value);
            blob.ReadUInt16(); // prolog 0x0001
            return blob.ReadSerializedString();
        }

        return null;
    }
}
