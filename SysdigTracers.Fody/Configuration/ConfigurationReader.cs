using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Xml.Linq;

namespace SysdigTracers.Fody.Configuration;

/// <summary>
/// Reads the <c>&lt;SysdigTracers&gt;</c> element of FodyWeavers.xml. Anything it does not understand is an error
/// (a <see cref="ConfigurationError"/> that fails the build), never silently ignored.
/// </summary>
internal static class ConfigurationReader
{
    static readonly string[] BooleanOptions =
        { "TraceConstructors", "TraceProperties", "Arguments", "ReturnValue", "TraceContext", "CodeAttributes", "CallToString", "TraceTrivialMethods" };
    const string SourceNameOption = "ActivitySourceName";
    const string CeilingOption = "MaxSpansPerSecond";
    const string AssemblyCeilingOption = "MaxAssemblySpansPerSecond";
    const string RedactOption = "RedactParameters";
    const string MinimumCodeSizeOption = "MinimumCodeSize";
    static readonly string[] ValueOptions = { SourceNameOption, CeilingOption, AssemblyCeilingOption, RedactOption, MinimumCodeSizeOption };
    static readonly string[] ListOptions = { "IncludeNamespaces", "ExcludeNamespaces" };

    /// <summary>Parses and validates the element; <see langword="null"/> means an empty configuration.</summary>
    /// <exception cref="ConfigurationError">The configuration is invalid; the error says where and why.</exception>
    public static WeaverConfiguration Read(XElement? config)
    {
        if (config == null)
        {
            return WeaverConfiguration.Default;
        }

        var booleans = new Dictionary<string, bool>();
        var include = new List<NamespacePattern>();
        var exclude = new List<NamespacePattern>();
        var sources = new Dictionary<NamespacePattern, XObject>();
        string? sourceName = null;
        var maxSpansPerSecond = 0;
        var maxAssemblySpansPerSecond = WeaverConfiguration.DefaultMaxAssemblySpansPerSecond;
        var secretWords = new List<string>();
        var minimumCodeSize = 0;

        foreach (var attribute in config.Attributes())
        {
            if (attribute.IsNamespaceDeclaration || attribute.Name.Namespace != XNamespace.None)
            {
                continue;
            }

            var name = attribute.Name.LocalName;
            if (BooleanOptions.Contains(name))
            {
                booleans[name] = ParseBoolean(attribute);
            }
            else if (name == SourceNameOption)
            {
                sourceName = ParseSourceName(attribute);
            }
            else if (name == CeilingOption)
            {
                maxSpansPerSecond = ParseCeiling(attribute);
            }
            else if (name == AssemblyCeilingOption)
            {
                maxAssemblySpansPerSecond = ParseCeiling(attribute);
            }
            else if (name == MinimumCodeSizeOption)
            {
                minimumCodeSize = ParseCodeSize(attribute);
            }
            else if (name == RedactOption)
            {
                secretWords.AddRange(ParseWords(attribute));
            }
            else if (ListOptions.Contains(name))
            {
                var entries = attribute.Value.Split('|').Select(e => e.Trim()).Where(e => e.Length > 0).ToList();
                AddPatterns(name == "IncludeNamespaces" ? include : exclude, $"attribute {name}", entries, attribute, sources);
            }
            else
            {
                throw new ConfigurationError(
                    ConfigurationError.UnknownAttribute,
                    $"unknown attribute '{name}'. Known attributes: {string.Join(", ", ListOptions.Concat(BooleanOptions).Concat(ValueOptions))}.",
                    attribute);
            }
        }

        foreach (var element in config.Elements())
        {
            var name = element.Name.LocalName;
            if (element.Name.Namespace != XNamespace.None || !ListOptions.Contains(name))
            {
                throw new ConfigurationError(
                    ConfigurationError.UnknownElement,
                    $"unknown element <{element.Name}>. Known elements: {string.Join(", ", ListOptions.Select(o => "<" + o + ">"))}.",
                    element);
            }

            if (element.HasElements)
            {
                throw new ConfigurationError(
                    ConfigurationError.ElementsInNamespaceList, $"element <{name}> must contain text only, one namespace per line.", element.Elements().First());
            }

            var entries = element.Value
                .Split(new[] { '\r', '\n' }, StringSplitOptions.None)
                .Select(e => e.Trim())
                .Where(e => e.Length > 0)
                .ToList();
            AddPatterns(name == "IncludeNamespaces" ? include : exclude, $"element <{name}>", entries, element, sources);
        }

        return new WeaverConfiguration(
            include,
            exclude,
            booleans.TryGetValue("TraceConstructors", out var ctors) && ctors,
            booleans.TryGetValue("TraceProperties", out var props) && props,
            booleans.TryGetValue("Arguments", out var args) && args,
            booleans.TryGetValue("ReturnValue", out var ret) && ret,
            sourceName,
            booleans.TryGetValue("TraceContext", out var context) && context,
            !booleans.TryGetValue("CodeAttributes", out var code) || code,
            booleans.TryGetValue("CallToString", out var callToString) && callToString,
            booleans.TryGetValue("TraceTrivialMethods", out var trivial) && trivial,
            maxSpansPerSecond,
            maxAssemblySpansPerSecond,
            secretWords.Count == 0 ? SecretNames.Default : new SecretNames(secretWords),
            minimumCodeSize,
            sources);
    }

    static string ParseSourceName(XAttribute attribute)
    {
        var value = attribute.Value;
        var name = value.Trim();
        if (name.Length == 0 || name.Any(char.IsControl) || name.Length > 256)
        {
            throw new ConfigurationError(
                ConfigurationError.InvalidSourceName,
                $"attribute {SourceNameOption}=\"{value}\" is not a usable ActivitySource name; give a non-empty name " +
                        "of at most 256 characters without control characters, for example \"MyShop.Orders\".",
                attribute);
        }

        return name;
    }

    static int ParseCeiling(XAttribute attribute) =>
        ParseWholeNumber(attribute, ConfigurationError.InvalidCeiling, $"is not a whole number from 0 (no ceiling) to {int.MaxValue}.");

    static int ParseCodeSize(XAttribute attribute) =>
        ParseWholeNumber(
            attribute,
            ConfigurationError.InvalidCodeSize,
            $"is not a whole number of bytes of IL from 0 (no minimum) to {int.MaxValue}, for example \"64\".");

    /// <summary>The schema's <c>xs:nonNegativeInteger</c> of digits only, bounded to an <see cref="int"/>.</summary>
    static int ParseWholeNumber(XAttribute attribute, string code, string problem)
    {
        var value = attribute.Value;
        if (int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        throw new ConfigurationError(code, $"attribute {attribute.Name.LocalName}=\"{value}\" {problem}", attribute);
    }

    static List<string> ParseWords(XAttribute attribute)
    {
        var words = attribute.Value.Split('|').Select(e => e.Trim()).Where(e => e.Length > 0).ToList();
        if (words.Count == 0)
        {
            throw new ConfigurationError(
                ConfigurationError.InvalidRedactWord,
                $"attribute {RedactOption} lists no word; remove it or name at least one, for example \"pin|ssn\".",
                attribute);
        }

        var invalid = words.FirstOrDefault(w => !w.All(c => char.IsLetterOrDigit(c) || c == '_' || c == '-'));
        if (invalid != null)
        {
            throw new ConfigurationError(
                ConfigurationError.InvalidRedactWord,
                $"attribute {RedactOption}: '{invalid}' is not a word of a parameter name (letters, digits, _ and - only).",
                attribute);
        }

        return words;
    }

    static bool ParseBoolean(XAttribute attribute)
    {
        var value = attribute.Value;
        // Exactly the two words the schema (SysdigTracers.Fody.xcf) allows, with its whitespace collapsing, so editors
        // and the build agree.
        var word = value.Trim();
        if (word == "true")
        {
            return true;
        }

        if (word == "false")
        {
            return false;
        }

        throw new ConfigurationError(
            ConfigurationError.NotABoolean, $"attribute {attribute.Name.LocalName}=\"{value}\" is not a boolean; use \"true\" or \"false\".", attribute);
    }

    static void AddPatterns(
        List<NamespacePattern> target, string where, List<string> entries, XObject source, Dictionary<NamespacePattern, XObject> sources)
    {
        if (entries.Count == 0)
        {
            throw new ConfigurationError(
                ConfigurationError.EmptyNamespaceList, $"{where} lists no namespace; remove it or name at least one namespace.", source);
        }

        foreach (var entry in entries)
        {
            var pattern = NamespacePattern.TryParse(entry, out var problem);
            if (pattern == null)
            {
                throw new ConfigurationError(
                    ConfigurationError.MalformedPattern,
                    $"{where}: malformed namespace pattern '{entry}': {problem}. " +
                    "Write a namespace (MyApp.Orders) or a namespace and everything below it (MyApp.Orders*).",
                    source);
            }

            target.Add(pattern);
            sources[pattern] = source;
        }
    }
}
