using System;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using NUnit.Framework;
using SysdigTracers.Fody.Configuration;

namespace Tests.Weaving;

/// <summary>Mistakes in FodyWeavers.xml: a stable code per kind, and the line and column of the culprit.</summary>
public class ConfigurationErrorTests
{
    [TestCase("<SysdigTracers Arguments='maybe' />", "ST1003", "Arguments")]
    [TestCase("<SysdigTracers Trace='true' />", "ST1001", "Trace")]
    [TestCase("<SysdigTracers><Namespaces>A</Namespaces></SysdigTracers>", "ST1002", "Namespaces")]
    [TestCase("<SysdigTracers IncludeNamespaces='' />", "ST1004", "IncludeNamespaces")]
    [TestCase("<SysdigTracers><ExcludeNamespaces>A.*</ExcludeNamespaces></SysdigTracers>", "ST1005", "ExcludeNamespaces")]
    [TestCase("<SysdigTracers><IncludeNamespaces><Namespace>A</Namespace></IncludeNamespaces></SysdigTracers>", "ST1006", "Namespace")]
    [TestCase("<SysdigTracers ActivitySourceName=' ' />", "ST1007", "ActivitySourceName")]
    [TestCase("<SysdigTracers MaxSpansPerSecond='-1' />", "ST1008", "MaxSpansPerSecond")]
    [TestCase("<SysdigTracers MaxAssemblySpansPerSecond='ten thousand' />", "ST1008", "MaxAssemblySpansPerSecond")]
    [TestCase("<SysdigTracers RedactParameters='pin|a.b' />", "ST1009", "RedactParameters")]
    [TestCase("<SysdigTracers MinimumCodeSize='small' />", "ST1010", "MinimumCodeSize")]
    public void EachKindOfMistakeHasItsCodeAndNamesItsCulprit(string xml, string code, string culprit)
    {
        var error = Assert.Throws<ConfigurationError>(() => ConfigurationReader.Read(XElement.Parse(xml)))!;
        Assert.That(error.Code, Is.EqualTo(code));
        Assert.That(error.Message, Does.StartWith(code + ": "));
        var name = error.Culprit switch
        {
            XAttribute attribute => attribute.Name.LocalName,
            XElement element => element.Name.LocalName,
            _ => null,
        };
        Assert.That(name, Is.EqualTo(culprit));
    }

    [Test]
    public void CulpritIsLocatedInFodyWeaversXmlAtItsLineAndColumn()
    {
        var directory = Path.Combine(Path.GetTempPath(), "sysdigtracers-locator-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            const string Xml = "<Weavers>\n  <Other />\n  <SysdigTracers IncludeNamespaces='A'\n                 Arguments='maybe'>\n    <ExcludeNamespaces>B.*</ExcludeNamespaces>\n  </SysdigTracers>\n</Weavers>\n";
            File.WriteAllText(Path.Combine(directory, "FodyWeavers.xml"), Xml);
            // Fody hands over the element detached from its file, without line information.
            var config = XElement.Parse(XDocument.Parse(Xml).Root!.Elements().Last().ToString());

            var flag = Assert.Throws<ConfigurationError>(() => ConfigurationReader.Read(config))!;
            var flagPoint = ConfigurationLocator.Locate(flag.Culprit, null, directory)!;
            config.Attribute("Arguments")!.Remove();
            var pattern = Assert.Throws<ConfigurationError>(() => ConfigurationReader.Read(config))!;
            var patternPoint = ConfigurationLocator.Locate(pattern.Culprit, directory)!;

            Assert.That(flagPoint.Document.Url, Is.EqualTo(Path.Combine(directory, "FodyWeavers.xml")));
            Assert.That((flagPoint.StartLine, flagPoint.StartColumn, flagPoint.EndColumn), Is.EqualTo((4, 18, 27)), "Arguments='maybe'");
            Assert.That((patternPoint.StartLine, patternPoint.StartColumn), Is.EqualTo((5, 6)), "<ExcludeNamespaces>");
            Assert.That(ConfigurationLocator.Locate(pattern.Culprit, Path.Combine(directory, "elsewhere")), Is.Null);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
