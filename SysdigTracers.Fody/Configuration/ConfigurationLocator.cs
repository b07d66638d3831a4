using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml;
using System.Xml.Linq;
using Mono.Cecil.Cil;

namespace SysdigTracers.Fody.Configuration;

/// <summary>
/// Finds the line and column of an attribute or element of the configuration in FodyWeavers.xml, so that build errors
/// and warnings point at it. Fody hands the weaver its configuration element without line information
/// and without the file's path, so the file is read again from where Fody reads it: the project's folder, then the
/// solution's.
/// </summary>
internal static class ConfigurationLocator
{
    /// <summary>
    /// The location of <paramref name="culprit"/> (an attribute or element of the configuration element) as a
    /// sequence point of the FodyWeavers.xml of the first of <paramref name="directories"/> that has one, or
    /// <see langword="null"/> (the configuration came from elsewhere, such as the WeaverConfiguration property).
    /// </summary>
    public static SequencePoint? Locate(XObject culprit, params string?[] directories)
    {
        var path = PathFromConfigurationElement(culprit);
        foreach (var directory in directories.Where(d => !string.IsNullOrEmpty(d)))
        {
            var file = Path.Combine(directory!, "FodyWeavers.xml");
            if (!File.Exists(file))
            {
                continue;
            }

            XDocument document;
            try
            {
                document = XDocument.Load(file, LoadOptions.SetLineInfo);
            }
            catch (XmlException)
            {
                continue;
            }
            catch (IOException)
            {
                continue;
            }

            var configuration = document.Root?.Elements().FirstOrDefault(e => e.Name.LocalName == "SysdigTracers");
            if (configuration != null && Follow(configuration, path) is IXmlLineInfo info && info.HasLineInfo())
            {
                var length = culprit switch
                {
                    XAttribute attribute => attribute.Name.LocalName.Length,
                    XElement element => element.Name.LocalName.Length,
                    _ => 1,
                };
                return new SequencePoint(Instruction.Create(OpCodes.Nop), new Document(Path.GetFullPath(file)))
                {
                    StartLine = info.LineNumber,
                    StartColumn = info.LinePosition,
                    EndLine = info.LineNumber,
                    EndColumn = info.LinePosition + length,
                };
            }
        }

        return null;
    }

    /// <summary>Steps from the configuration element to the culprit: element indexes, then an attribute name.</summary>
    static List<object> PathFromConfigurationElement(XObject culprit)
    {
        var steps = new List<object>();
        var element = culprit as XElement ?? culprit.Parent;
        if (culprit is XAttribute attribute)
        {
            steps.Add(attribute.Name);
        }

        for (; element != null && !IsConfigurationElement(element); element = element.Parent)
        {
            steps.Insert(0, element.ElementsBeforeSelf().Count());
        }

        return steps;
    }

    /// <summary>The &lt;SysdigTracers&gt; element itself, whether Fody detached it from &lt;Weavers&gt; or not.</summary>
    static bool IsConfigurationElement(XElement element) =>
        element.Parent == null || (element.Parent.Parent == null && element.Name.LocalName == "SysdigTracers");

    static XObject? Follow(XElement configuration, List<object> steps)
    {
        XObject? current = configuration;
        foreach (var step in steps)
        {
            current = step switch
            {
                int index when current is XElement element => element.Elements().ElementAtOrDefault(index),
                XName name when current is XElement element => element.Attribute(name),
                _ => null,
            };
        }

        return current;
    }
}
