using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using NUnit.Framework;

namespace Tests.Package;

/// <summary>
/// Packs both projects as users would (`dotnet pack`) and checks the packages: SysdigTracers.Fody as Fody 6 expects
/// it (build props and targets, the weaver with its PDB and schema; depends on Fody and SysdigTracers), SysdigTracers
/// with the runtime for each target and its symbols package (depends on System.Diagnostics.DiagnosticSource for
/// netstandard2.0 only), and the metadata, readme and icon of both.
/// </summary>
[TestFixture]
[Category("Package")]
public sealed class PackageLayoutTests
{
    private const string WeaverPackage = PackageWorkspace.PackageId;
    private const string RuntimePackage = PackageWorkspace.RuntimePackageId;

    private static readonly Guid EmbeddedSourceKind = new("0E8A571B-6926-466E-B4AD-8AB04611F5FE");
    private static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");

    private static readonly string[] RuntimeTargets = { "netstandard2.0", "net8.0" };

    private static readonly string[] WeaverOptionAttributes =
        {
            "IncludeNamespaces", "ExcludeNamespaces", "TraceConstructors", "TraceProperties", "Arguments", "ReturnValue", "ActivitySourceName",
            "TraceContext", "CodeAttributes", "CallToString", "TraceTrivialMethods", "MaxSpansPerSecond", "MaxAssemblySpansPerSecond",
            "RedactParameters", "MinimumCodeSize",
        };

    private static readonly string[] BooleanOptions =
        { "TraceConstructors", "TraceProperties", "Arguments", "ReturnValue", "TraceContext", "CodeAttributes", "CallToString", "TraceTrivialMethods" };

    private static readonly string[] WeaverOptionElements = { "IncludeNamespaces", "ExcludeNamespaces" };

    [Test]
    public void Weaver_package_holds_exactly_the_Fody_layout()
    {
        Assert.That(
            Entries(PackageWorkspace.Get().PackagePath),
            Is.EqualTo(new[]
            {
                "README.md",
                "SysdigTracers.Fody.nuspec",
                "build/SysdigTracers.Fody.props",
                "build/SysdigTracers.Fody.targets",
                "icon.png",
                "weaver/SysdigTracers.Fody.dll",
                "weaver/SysdigTracers.Fody.pdb",
                "weaver/SysdigTracers.Fody.xcf",
            }),
            "entries of the .nupkg (OPC parts left out)");
    }

    [Test]
    public void Runtime_package_holds_the_runtime_for_each_target()
    {
        var expected = new List<string> { "README.md", "SysdigTracers.nuspec", "icon.png" };
        foreach (var target in RuntimeTargets)
        {
            expected.Add($"lib/{target}/SysdigTracers.dll");
            expected.Add($"lib/{target}/SysdigTracers.xml");
        }

        Assert.That(Entries(PackageWorkspace.Get().RuntimePackagePath), Is.EqualTo(expected.OrderBy(e => e, StringComparer.Ordinal)));
    }

    [Test]
    public void Weaver_package_depends_on_the_runtime_and_on_Fody()
    {
        var groups = DependencyGroups(WeaverPackage);

        Assert.That(groups.Select(g => (string?)g.Attribute("targetFramework")), Is.EqualTo(new[] { ".NETStandard2.0" }));
        var dependencies = groups[0].Elements().ToDictionary(d => (string)d.Attribute("id")!);
        Assert.That(dependencies.Keys, Is.EquivalentTo(new[] { "Fody", PackageWorkspace.RuntimePackageId }));
        Assert.Multiple(() =>
        {
            var fody = dependencies["Fody"];
            Assert.That((string?)fody.Attribute("version"), Does.StartWith("6."));
            // PrivateAssets="None": the consumer gets Fody's build targets, which run the weaver.
            Assert.That((string?)fody.Attribute("include"), Is.EqualTo("All"));
            Assert.That(fody.Attribute("exclude"), Is.Null);
            // The runtime flows with its lib/ assets: compile and run time.
            var runtime = dependencies[PackageWorkspace.RuntimePackageId];
            Assert.That((string?)runtime.Attribute("version"), Is.EqualTo(PackageWorkspace.Get().PackageVersion));
            Assert.That((string?)runtime.Attribute("include"), Is.Null);
            Assert.That((string?)runtime.Attribute("exclude"), Does.Not.Contain("Compile").And.Not.Contain("Runtime"));
        });
    }

    [Test]
    public void Runtime_package_depends_on_DiagnosticSource_for_netstandard_only()
    {
        var groups = DependencyGroups(RuntimePackage);

        Assert.That(
            groups.Select(g => (string?)g.Attribute("targetFramework")),
            Is.EquivalentTo(new[] { ".NETStandard2.0", "net8.0" }));
        foreach (var group in groups)
        {
            // ActivitySource: a package for netstandard2.0, in the framework from .NET 5 on.
            var netStandard = (string?)group.Attribute("targetFramework") == ".NETStandard2.0";
            var dependencies = group.Elements().ToArray();
            Assert.That(
                dependencies.Select(d => (string?)d.Attribute("id")),
                Is.EquivalentTo(netStandard ? new[] { "System.Diagnostics.DiagnosticSource" } : Array.Empty<string>()),
                $"dependencies of {group}");
        }
    }

    [TestCase(WeaverPackage)]
    [TestCase(RuntimePackage)]
    public void Nuspec_has_the_metadata_a_user_expects(string package)
    {
        var metadata = Nuspec(package).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string? Value(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;
        var license = metadata.Elements().Single(e => e.Name.LocalName == "license");
        var repository = metadata.Elements().Single(e => e.Name.LocalName == "repository");

        Assert.Multiple(() =>
        {
            Assert.That(Value("id"), Is.EqualTo(package));
            Assert.That(Value("version"), Is.EqualTo(PackageWorkspace.Get().PackageVersion));
            Assert.That(Value("description"), Does.Contain("sysdig").And.Contain("[Traced]").Or.Contain("SysdigTracers.Fody"));
            Assert.That((string?)license.Attribute("type"), Is.EqualTo("expression"));
            Assert.That(license.Value, Is.EqualTo("MIT"));
            Assert.That(Value("readme"), Is.EqualTo("README.md"));
            Assert.That(Value("icon"), Is.EqualTo("icon.png"));
            Assert.That(Value("tags"), Does.Contain("Fody").And.Contain("sysdig"));
            Assert.That(Value("authors"), Is.Not.Empty);
            Assert.That(Value("projectUrl"), Does.StartWith("https://"));
            Assert.That((string?)repository.Attribute("type"), Is.EqualTo("git"));
            Assert.That((string?)repository.Attribute("url"), Does.StartWith("https://"));
            Assert.That((string?)repository.Attribute("commit"), Does.Match("^[0-9a-f]{40}$"), "the commit the package was built from");
        });
    }

    [TestCase(WeaverPackage)]
    [TestCase(RuntimePackage)]
    public void Package_readme_is_short_and_has_no_relative_links(string package)
    {
        var readme = ReadEntry(package, "README.md");
        var links = Regex.Matches(readme, @"\]\((?<target>[^)]*)\)").Select(m => m.Groups["target"].Value).ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(readme.Length, Is.LessThan(4000), "written for the package page, not the repository");
            Assert.That(readme, Does.Contain("dotnet add package SysdigTracers.Fody").And.Contain("PrivateAssets=\"All\""));
            Assert.That(links, Is.All.StartWith("https://"), "links that work on nuget.org");
            Assert.That(Regex.Matches(readme, @"https?://\S+").Select(m => m.Value), Is.All.StartWith("https://"));
        });
    }

    [TestCase(WeaverPackage)]
    [TestCase(RuntimePackage)]
    public void Icon_is_a_square_png(string package)
    {
        var png = ReadEntryBytes(package, "icon.png");

        Assert.That(png.Take(8), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), "PNG signature");
        var width = (png[16] << 24) | (png[17] << 16) | (png[18] << 8) | png[19];
        var height = (png[20] << 24) | (png[21] << 16) | (png[22] << 8) | png[23];
        Assert.That((width, height), Is.EqualTo((128, 128)));
    }

    [Test]
    public void Build_props_adds_the_packaged_weaver_to_WeaverFiles()
    {
        var props = XDocument.Parse(ReadEntry(WeaverPackage, "build/SysdigTracers.Fody.props"));
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
        using var pe = new PEReader(new MemoryStream(ReadEntryBytes(WeaverPackage, "weaver/SysdigTracers.Fody.dll")));
        var reader = pe.GetMetadataReader();
        var types = reader.TypeDefinitions.Select(h => reader.GetString(reader.GetTypeDefinition(h).Name)).ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(reader.GetString(reader.GetAssemblyDefinition().Name), Is.EqualTo("SysdigTracers.Fody"));
            Assert.That(types, Does.Contain("ModuleWeaver"), "Fody instantiates the class named ModuleWeaver");
            Assert.That(TargetFramework(reader), Is.EqualTo(".NETStandard,Version=v2.0"));
            // Its project reference to the runtime only makes the package dependency: the weaver never loads it.
            Assert.That(
                reader.AssemblyReferences.Select(h => reader.GetString(reader.GetAssemblyReference(h).Name)),
                Does.Not.Contain("SysdigTracers"));
        });
    }

    [TestCase("netstandard2.0", ".NETStandard,Version=v2.0")]
    [TestCase("net8.0", ".NETCoreApp,Version=v8.0")]
    public void Runtime_is_packed_for_each_target_with_its_xml_docs(string folder, string targetFramework)
    {
        using var pe = new PEReader(new MemoryStream(ReadEntryBytes(RuntimePackage, $"lib/{folder}/SysdigTracers.dll")));
        var reader = pe.GetMetadataReader();
        var docs = XDocument.Parse(ReadEntry(RuntimePackage, $"lib/{folder}/SysdigTracers.xml"));

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
    public void Symbols_package_holds_the_runtime_pdbs()
    {
        Assert.That(
            Entries(PackageWorkspace.Get().SymbolsPackagePath).Where(e => e.EndsWith(".pdb", StringComparison.Ordinal)),
            Is.EquivalentTo(RuntimeTargets.Select(t => $"lib/{t}/SysdigTracers.pdb")));
    }

    [Test]
    public void Weaver_pdb_beside_the_weaver_matches_it_and_carries_SourceLink_information()
    {
        using var pe = new PEReader(new MemoryStream(ReadEntryBytes(WeaverPackage, "weaver/SysdigTracers.Fody.dll")));
        var codeView = pe.ReadDebugDirectory().Single(d => d.Type == DebugDirectoryEntryType.CodeView);
        var expectedId = new BlobContentId(pe.ReadCodeViewDebugDirectoryData(codeView).Guid, codeView.Stamp);
        using var provider = MetadataReaderProvider.FromPortablePdbStream(new MemoryStream(ReadEntryBytes(WeaverPackage, "weaver/SysdigTracers.Fody.pdb")));
        var pdb = provider.GetMetadataReader();
        var kinds = pdb.CustomDebugInformation.Select(h => pdb.GetGuid(pdb.GetCustomDebugInformation(h).Kind)).ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(new BlobContentId(pdb.DebugMetadataHeader!.Id), Is.EqualTo(expectedId), "the PDB of this very weaver");
            // Sources git does not know (the generated AssemblyInfo) are embedded: SourceLink's build step ran.
            Assert.That(kinds, Does.Contain(EmbeddedSourceKind));
            if (RepositoryHasHostedRemote())
            {
                Assert.That(kinds, Does.Contain(SourceLinkKind), "a clone of a hosted repository maps its sources to URLs");
            }
        });
    }

    [Test]
    public void Xcf_documents_every_option()
    {
        var xcf = XDocument.Parse(ReadEntry(WeaverPackage, "weaver/SysdigTracers.Fody.xcf"));
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
            var error = Assert.Throws<SysdigTracers.Fody.Configuration.ConfigurationError>(
                () => SysdigTracers.Fody.Configuration.ConfigurationReader.Read(XElement.Parse(config)))!;
            var match = System.Text.RegularExpressions.Regex.Match(error.Message, label + @": (?<names>[^.]+)\.");
            Assert.That(match.Success, $"'{label}' in: {error.Message}");
            return match.Groups["names"].Value.Split(',').Select(n => n.Trim().Trim('<', '>')).ToArray();
        }

        var xcf = XDocument.Parse(ReadEntry(WeaverPackage, "weaver/SysdigTracers.Fody.xcf"));
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
    [TestCase("<SysdigTracers CallToString=\"true\" TraceTrivialMethods=\"false\" MaxSpansPerSecond=\"100\" RedactParameters=\"pin | social_security\" />", true)]
    [TestCase("<SysdigTracers MaxSpansPerSecond=\"-1\" />", false)]
    [TestCase("<SysdigTracers MaxSpansPerSecond=\"2147483648\" />", false)]
    [TestCase("<SysdigTracers MaxSpansPerSecond=\"100\" MaxAssemblySpansPerSecond=\"0\" />", true)]
    [TestCase("<SysdigTracers MaxAssemblySpansPerSecond=\"10k\" />", false)]
    [TestCase("<SysdigTracers MaxAssemblySpansPerSecond=\"2147483648\" />", false)]
    [TestCase("<SysdigTracers RedactParameters=\"a.b\" />", false)]
    [TestCase("<SysdigTracers MinimumCodeSize=\"64\" />", true)]
    [TestCase("<SysdigTracers MinimumCodeSize=\"-1\" />", false)]
    [TestCase("<SysdigTracers MinimumCodeSize=\"64 bytes\" />", false)]
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
        <xs:element name=""SysdigTracers"" minOccurs=""0"" maxOccurs=""1"">{StripDeclaration(ReadEntry(WeaverPackage, "weaver/SysdigTracers.Fody.xcf"))}</xs:element>
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
            catch (SysdigTracers.Fody.Configuration.ConfigurationError)
            {
                weaverAccepts = false;
            }

            if (schemaErrors.Count == 0)
            {
                Assert.That(weaverAccepts, $"{flag}=\"{value}\": valid for the schema, so the weaver must take it");
            }
        }
    }

    private static bool IsOpcPart(string entry) =>
        entry.StartsWith("_rels/", StringComparison.Ordinal)
        || entry.StartsWith("package/services/", StringComparison.Ordinal)
        || entry == "[Content_Types].xml";

    private static string[] Entries(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        return zip.Entries.Select(e => e.FullName).Where(e => !IsOpcPart(e)).OrderBy(e => e, StringComparer.Ordinal).ToArray();
    }

    private static XElement[] DependencyGroups(string package)
    {
        var metadata = Nuspec(package).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        var groups = metadata.Elements().Single(e => e.Name.LocalName == "dependencies").Elements().ToArray();
        Assert.That(groups.Select(g => g.Name.LocalName), Is.All.EqualTo("group"), "dependencies are grouped per target framework");
        return groups;
    }

    private static XDocument Nuspec(string package) => XDocument.Parse(ReadEntry(package, package + ".nuspec"));

    private static string ReadEntry(string package, string name)
    {
        using var reader = new StreamReader(new MemoryStream(ReadEntryBytes(package, name)));
        return reader.ReadToEnd();
    }

    private static byte[] ReadEntryBytes(string package, string name)
    {
        var workspace = PackageWorkspace.Get();
        using var zip = ZipFile.OpenRead(package == WeaverPackage ? workspace.PackagePath : workspace.RuntimePackagePath);
        var entry = zip.GetEntry(name);
        Assert.That(entry, Is.Not.Null, $"{name} in {package}");
        using var stream = entry!.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>
    /// Whether a remote is on a host the SDK's SourceLink maps to URLs; a clone of a local path or of another server
    /// has no URL map, and the build does not complain.
    /// </summary>
    private static bool RepositoryHasHostedRemote()
    {
        var remotes = DotNetCli.RunProcess("git", PackageWorkspace.Get().RepositoryRoot, null, TimeSpan.FromSeconds(30), "remote", "-v");
        string[] hosts = { "github.com", "gitlab.com", "bitbucket.org", "dev.azure.com", "visualstudio.com" };
        return remotes.ExitCode == 0 && hosts.Any(h => remotes.Output.Contains(h, StringComparison.OrdinalIgnoreCase));
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
