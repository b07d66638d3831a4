using System.Linq;
using System.Xml.Linq;
using NUnit.Framework;
using SysdigTracers.Fody.Configuration;

namespace Tests.Weaving;

public class ConfigurationReaderTests
{
    static WeaverConfiguration Read(string xml) => ConfigurationReader.Read(XElement.Parse(xml));

    static string ReadError(string xml) =>
        Assert.Throws<ConfigurationError>(() => Read(xml))!.Message;

    [Test]
    public void MissingOrEmptyElementMeansDefaults()
    {
        foreach (var configuration in new[] { ConfigurationReader.Read(null), Read("<SysdigTracers />") })
        {
            Assert.That(configuration.IncludeNamespaces, Is.Empty);
            Assert.That(configuration.ExcludeNamespaces, Is.Empty);
            Assert.That(configuration.TraceConstructors, Is.False);
            Assert.That(configuration.TraceProperties, Is.False);
            Assert.That(configuration.Arguments, Is.False);
            Assert.That(configuration.ReturnValue, Is.False);
            Assert.That(configuration.CallToString, Is.False);
            Assert.That(configuration.TraceTrivialMethods, Is.False);
            Assert.That(configuration.MaxSpansPerSecond, Is.Zero);
            Assert.That(configuration.MaxAssemblySpansPerSecond, Is.EqualTo(10000));
            Assert.That(configuration.SecretNames.ExtraWords, Is.Empty);
            Assert.That(configuration.MinimumCodeSize, Is.Zero);
        }
    }

    [TestCase("TraceConstructors")]
    [TestCase("TraceProperties")]
    [TestCase("Arguments")]
    [TestCase("ReturnValue")]
    [TestCase("CallToString")]
    [TestCase("TraceTrivialMethods")]
    public void BooleanOptionsAcceptTrueAndFalse(string option)
    {
        bool Get(WeaverConfiguration c) => option switch
        {
            "TraceConstructors" => c.TraceConstructors,
            "TraceProperties" => c.TraceProperties,
            "Arguments" => c.Arguments,
            "CallToString" => c.CallToString,
            "TraceTrivialMethods" => c.TraceTrivialMethods,
            _ => c.ReturnValue,
        };

        Assert.That(Get(Read($"<SysdigTracers {option}='true' />")), Is.True);
        Assert.That(Get(Read($"<SysdigTracers {option}='false' />")), Is.False);
        Assert.That(Get(Read($"<SysdigTracers {option}=' true ' />")), Is.True);
    }

    [TestCase("TraceConstructors", "yes")]
    [TestCase("TraceProperties", "1")]
    [TestCase("Arguments", "")]
    [TestCase("ReturnValue", "on")]
    [TestCase("Arguments", "True")]
    [TestCase("ReturnValue", " FALSE ")]
    public void BooleanOptionsRejectAnythingElse(string option, string value)
    {
        Assert.That(ReadError($"<SysdigTracers {option}='{value}' />"), Is.EqualTo(
            $"ST1003: <SysdigTracers>: attribute {option}=\"{value}\" is not a boolean; use \"true\" or \"false\"."));
    }

    [TestCase("MaxSpansPerSecond", "0", 0)]
    [TestCase("MaxSpansPerSecond", " 250 ", 250)]
    [TestCase("MaxSpansPerSecond", "2147483647", int.MaxValue)]
    [TestCase("MaxAssemblySpansPerSecond", "0", 0)]
    [TestCase("MaxAssemblySpansPerSecond", " 250 ", 250)]
    [TestCase("MaxAssemblySpansPerSecond", "2147483647", int.MaxValue)]
    public void CeilingsAreWholeNumbers(string option, string value, int expected)
    {
        var configuration = Read($"<SysdigTracers {option}='{value}' />");
        Assert.That(option == "MaxSpansPerSecond" ? configuration.MaxSpansPerSecond : configuration.MaxAssemblySpansPerSecond, Is.EqualTo(expected));
    }

    [Test]
    public void TheTwoCeilingsAreIndependent()
    {
        var configuration = Read("<SysdigTracers MaxSpansPerSecond='100' MaxAssemblySpansPerSecond='2000' />");
        Assert.That((configuration.MaxSpansPerSecond, configuration.MaxAssemblySpansPerSecond), Is.EqualTo((100, 2000)));
        Assert.That(Read("<SysdigTracers MaxSpansPerSecond='100' />").MaxAssemblySpansPerSecond, Is.EqualTo(10000), "the default stays");
    }

    [TestCase("MaxSpansPerSecond", "-1")]
    [TestCase("MaxSpansPerSecond", "1.5")]
    [TestCase("MaxSpansPerSecond", "")]
    [TestCase("MaxSpansPerSecond", "2147483648")]
    [TestCase("MaxSpansPerSecond", "lots")]
    [TestCase("MaxAssemblySpansPerSecond", "-1")]
    [TestCase("MaxAssemblySpansPerSecond", "10k")]
    [TestCase("MaxAssemblySpansPerSecond", "")]
    [TestCase("MaxAssemblySpansPerSecond", "2147483648")]
    [TestCase("MaxAssemblySpansPerSecond", "none")]
    public void CeilingsRejectAnythingElse(string option, string value) =>
        Assert.That(ReadError($"<SysdigTracers {option}='{value}' />"), Is.EqualTo(
            $"ST1008: <SysdigTracers>: attribute {option}=\"{value}\" is not a whole number from 0 (no ceiling) to 2147483647."));

    [TestCase("0", 0)]
    [TestCase(" 64 ", 64)]
    [TestCase("2147483647", int.MaxValue)]
    public void MinimumCodeSizeIsAWholeNumberOfBytes(string value, int expected) =>
        Assert.That(Read($"<SysdigTracers MinimumCodeSize='{value}' />").MinimumCodeSize, Is.EqualTo(expected));

    [TestCase("-1")]
    [TestCase("64 bytes")]
    [TestCase("")]
    [TestCase("2147483648")]
    public void MinimumCodeSizeRejectsAnythingElse(string value) =>
        Assert.That(ReadError($"<SysdigTracers MinimumCodeSize='{value}' />"), Is.EqualTo(
            $"ST1010: <SysdigTracers>: attribute MinimumCodeSize=\"{value}\" is not a whole number of bytes of IL from 0 (no minimum) to 2147483647, for example \"64\"."));

    [Test]
    public void RedactParametersExtendsTheSecretNames()
    {
        var names = Read("<SysdigTracers RedactParameters='pin | social_security' />").SecretNames;
        Assert.That(names.ExtraWords, Is.EqualTo(new[] { "pin", "social_security" }));
        Assert.That(names.IsSecret("userPin"), Is.True);
        Assert.That(names.IsSecret("socialSecurityNumber"), Is.True);
        Assert.That(names.IsSecret("password"), Is.True, "the built-in list stays");
        Assert.That(names.IsSecret("name"), Is.False);
    }

    [TestCase("' '", "lists no word")]
    [TestCase("'pin|a.b'", "'a.b' is not a word of a parameter name")]
    public void RedactParametersRejectsEmptyAndMalformedLists(string value, string problem) =>
        Assert.That(ReadError($"<SysdigTracers RedactParameters={value} />"), Does.StartWith("ST1009: ").And.Contain(problem));

    [TestCase("password", true)]
    [TestCase("Passwd", true)]
    [TestCase("pwd", true)]
    [TestCase("userPwd", true)]
    [TestCase("clientSecret", true)]
    [TestCase("secretKey", true)]
    [TestCase("API_KEY", true)]
    [TestCase("api-key", true)]
    [TestCase("refreshToken", true)]
    [TestCase("token", true)]
    [TestCase("credentials", true)]
    [TestCase("ConnectionString", true)]
    [TestCase("connStr", true)]
    [TestCase("privateKeyPem", true)]
    [TestCase("passphrase", true)]
    [TestCase("tokenizer", false)]
    [TestCase("tokens", false)]
    [TestCase("name", false)]
    [TestCase("keyName", false)]
    [TestCase("", false)]
    public void BuiltInSecretNames(string name, bool secret) =>
        Assert.That(SecretNames.Default.IsSecret(name), Is.EqualTo(secret));

    [Test]
    public void NamespaceAttributesAreSplitOnBars()
    {
        var configuration = Read("<SysdigTracers IncludeNamespaces='MyApp.Orders| MyApp.Billing* |' ExcludeNamespaces='MyApp.Orders.Internal' />");
        Assert.That(configuration.IncludeNamespaces.Select(p => p.Text), Is.EqualTo(new[] { "MyApp.Orders", "MyApp.Billing*" }));
        Assert.That(configuration.ExcludeNamespaces.Select(p => p.Text), Is.EqualTo(new[] { "MyApp.Orders.Internal" }));
    }

    [Test]
    public void NamespaceElementsHoldOneNamespacePerLine()
    {
        var configuration = Read(@"<SysdigTracers IncludeNamespaces='A'>
  <IncludeNamespaces>
    MyApp.Orders
    MyApp.Billing*

  </IncludeNamespaces>
  <ExcludeNamespaces>MyApp.Orders.Internal</ExcludeNamespaces>
</SysdigTracers>");
        Assert.That(configuration.IncludeNamespaces.Select(p => p.Text), Is.EqualTo(new[] { "A", "MyApp.Orders", "MyApp.Billing*" }));
        Assert.That(configuration.ExcludeNamespaces.Select(p => p.Text), Is.EqualTo(new[] { "MyApp.Orders.Internal" }));
    }

    [Test]
    public void XmlNamespaceDeclarationsAreIgnored()
    {
        Assert.That(Read("<SysdigTracers xmlns:x='urn:x' x:Comment='kept for tools' Arguments='true' />").Arguments, Is.True);
    }

    [Test]
    public void UnknownAttributeIsAnError() =>
        Assert.That(ReadError("<SysdigTracers IncludeNamespace='A' />"), Is.EqualTo(
            "ST1001: <SysdigTracers>: unknown attribute 'IncludeNamespace'. Known attributes: IncludeNamespaces, ExcludeNamespaces, TraceConstructors, TraceProperties, Arguments, ReturnValue, TraceContext, CodeAttributes, CallToString, TraceTrivialMethods, ActivitySourceName, MaxSpansPerSecond, MaxAssemblySpansPerSecond, RedactParameters, MinimumCodeSize."));

    [Test]
    public void UnknownElementIsAnError() =>
        Assert.That(ReadError("<SysdigTracers><Namespaces>A</Namespaces></SysdigTracers>"), Is.EqualTo(
            "ST1002: <SysdigTracers>: unknown element <Namespaces>. Known elements: <IncludeNamespaces>, <ExcludeNamespaces>."));

    [Test]
    public void NestedElementsAreAnError() =>
        Assert.That(ReadError("<SysdigTracers><IncludeNamespaces><Namespace>A</Namespace></IncludeNamespaces></SysdigTracers>"), Is.EqualTo(
            "ST1006: <SysdigTracers>: element <IncludeNamespaces> must contain text only, one namespace per line."));

    [TestCase("<SysdigTracers IncludeNamespaces='' />", "attribute IncludeNamespaces")]
    [TestCase("<SysdigTracers IncludeNamespaces=' | ' />", "attribute IncludeNamespaces")]
    [TestCase("<SysdigTracers ExcludeNamespaces='' />", "attribute ExcludeNamespaces")]
    [TestCase("<SysdigTracers><IncludeNamespaces>\n  \n</IncludeNamespaces></SysdigTracers>", "element <IncludeNamespaces>")]
    [TestCase("<SysdigTracers><ExcludeNamespaces /></SysdigTracers>", "element <ExcludeNamespaces>")]
    public void EmptyNamespaceListIsAnError(string xml, string where) =>
        Assert.That(ReadError(xml), Is.EqualTo(
            $"ST1004: <SysdigTracers>: {where} lists no namespace; remove it or name at least one namespace."));

    [TestCase("My*App", "'*' is only allowed at the end")]
    [TestCase("*MyApp", "'*' is only allowed at the end")]
    [TestCase("MyApp**", "'*' is only allowed at the end")]
    [TestCase("MyApp.*", "write 'MyApp*' to match a namespace and everything below it")]
    [TestCase("MyApp..Orders", "a namespace name is empty (two dots in a row, or a leading or trailing dot)")]
    [TestCase(".MyApp", "a namespace name is empty (two dots in a row, or a leading or trailing dot)")]
    [TestCase("MyApp.", "a namespace name is empty (two dots in a row, or a leading or trailing dot)")]
    [TestCase("My App", "'My App' is not a valid namespace name")]
    [TestCase("MyApp.1Orders", "'1Orders' is not a valid namespace name")]
    [TestCase("MyApp/Orders", "'MyApp/Orders' is not a valid namespace name")]
    public void MalformedPatternIsAnError(string pattern, string problem)
    {
        Assert.That(ReadError($"<SysdigTracers IncludeNamespaces='A|{pattern}' />"), Is.EqualTo(
            $"ST1005: <SysdigTracers>: attribute IncludeNamespaces: malformed namespace pattern '{pattern}': {problem}. " +
            "Write a namespace (MyApp.Orders) or a namespace and everything below it (MyApp.Orders*)."));
        Assert.That(ReadError($"<SysdigTracers><ExcludeNamespaces>{pattern}</ExcludeNamespaces></SysdigTracers>"), Does.StartWith(
            $"ST1005: <SysdigTracers>: element <ExcludeNamespaces>: malformed namespace pattern '{pattern}': {problem}."));
    }
}

public class NamespacePatternTests
{
    static NamespacePattern Parse(string text) => NamespacePattern.TryParse(text, out _)!;

    [TestCase("MyApp.Orders", "MyApp.Orders", true)]
    [TestCase("MyApp.Orders", "MyApp.Orders.Internal", false)]
    [TestCase("MyApp.Orders", "MyApp", false)]
    [TestCase("MyApp.Orders*", "MyApp.Orders", true)]
    [TestCase("MyApp.Orders*", "MyApp.Orders.Internal", true)]
    [TestCase("MyApp.Orders*", "MyApp.Orders.Internal.Deep", true)]
    [TestCase("MyApp.Orders*", "MyApp.OrdersArchive", false)]
    [TestCase("MyApp.Orders*", "MyApp", false)]
    [TestCase("MyApp.Orders*", "", false)]
    [TestCase("*", "", true)]
    [TestCase("*", "Anything.At.All", true)]
    [TestCase("myapp.orders", "MyApp.Orders", false)]
    [TestCase("Données.Café_2", "Données.Café_2", true)]
    public void Matches(string pattern, string ns, bool expected) =>
        Assert.That(Parse(pattern).Matches(ns), Is.EqualTo(expected));
}
