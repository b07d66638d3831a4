using System.Linq;
using Mono.Cecil.Cil;
using Fody;
using NUnit.Framework;

namespace Tests.Weaving;

/// <summary>[Traced] where it cannot work is a build error at its location; unsupported shapes are warnings.</summary>
public class ErrorReportingTests
{
    static (string Text, int? Line, string? File)[] Errors(string source, string name, bool warnings = false)
    {
        var path = SnippetCompiler.CompileToFile(source, name);
        var result = WeavingFixture.WeaveReporting(path, name, null);
        Assert.That(result.Refusal, result.Errors.Count > 0 ? Is.Not.Null : Is.Null,
            "a weave that reports errors refuses to write the module, and only then");
        var messages = warnings ? result.Warnings : result.Errors;
        return messages.Select(m => (m.Text, m.SequencePoint?.StartLine, m.SequencePoint?.Document.Url)).ToArray();
    }

    [Test]
    public void AbstractMethod()
    {
        var errors = Errors(@"using SysdigTracers;
public abstract class Base
{
    [Traced] public abstract int Compute();

    public int Other()
    {
        return 1;
    }
}", "AbstractMethod");
        Assert.That(errors, Has.Length.EqualTo(1));
        Assert.That(errors[0].Text, Is.EqualTo("ST3001: [Traced] cannot work on 'Base.Compute()': it is abstract. Put [Traced] on the overrides instead."));
        Assert.That(errors[0].Line, Is.EqualTo(7), "no body, so the earliest line of its type's code");
        Assert.That(errors[0].File, Does.EndWith("AbstractMethod.cs"));
    }

    [Test]
    public void InterfaceMemberAndAbstractProperty()
    {
        var errors = Errors(@"using SysdigTracers;
public interface IService
{
    [Traced] void Run();
    [Traced] int Value { get; }
    [Traced] int WithBody() => 1;
}", "InterfaceMember");
        Assert.That(errors.Select(e => e.Text), Is.EquivalentTo(new[]
        {
            "ST3001: [Traced] cannot work on 'IService.Run()': it is an interface member without a body. Put [Traced] on the implementations instead.",
            "ST3001: [Traced] cannot work on 'IService.Value.get': it is an interface member without a body. Put [Traced] on the implementations instead.",
        }));
        Assert.That(errors.Select(e => e.Line), Is.All.EqualTo(6), "no body, so the earliest line of its type's code");
        Assert.That(errors.Select(e => e.File), Is.All.EndWith("InterfaceMember.cs"));
    }

    [Test]
    public void AFailureInsideTheWeaverIsAnErrorAtItsMethodAndRefusesTheAssembly()
    {
        var path = SnippetCompiler.CompileToFile(@"using SysdigTracers;
public static class Work
{
    [Traced]
    public static int Broken(int value)
    {
        return value + 1;
    }

    [Traced]
    public static int Fine(int value)
    {
        return value + 2;
    }
}", "InternalFailure");
        var result = WeavingFixture.WeaveReporting(path, "InternalFailure", null, module =>
        {
            // An operand the instruction cannot have: Mono.Cecil fails on it when the weaver picks the short forms.
            var load = module.GetType("Work").Methods.Single(m => m.Name == "Broken").Body.Instructions.First(i => i.OpCode == OpCodes.Ldarg_0);
            load.OpCode = OpCodes.Ldarg;
            load.Operand = null;
        });

        var error = result.Errors.Single(); // Fine is woven without an error of its own
        Assert.Multiple(() =>
        {
            Assert.That(error.Text, Does.StartWith("ST3005: Could not weave tracers into 'Work.Broken(int)': NullReferenceException: "));
            Assert.That(error.SequencePoint?.StartLine, Is.EqualTo(6), "the method's opening brace");
            Assert.That(error.SequencePoint?.Document.Url, Does.EndWith("InternalFailure.cs"));
            Assert.That(result.Refusal?.Message, Is.EqualTo("SysdigTracers reported the errors above; the assembly was not woven."));
            Assert.That(result.Infos, Has.None.Contains(" traced, "), "no count of traced methods for an assembly that is not woven");
        });
    }

    [Test]
    public void ExternMethod()
    {
        var errors = Errors(@"using SysdigTracers;
using System.Runtime.InteropServices;
public static class Native
{
    [Traced, DllImport(""libc"")] public static extern int getpid();
}", "ExternMethod");
        Assert.That(errors.Single().Text, Is.EqualTo("ST3001: [Traced] cannot work on 'Native.getpid()': it is extern (implemented outside this assembly). Put [Traced] on a method of yours that calls it instead."));
    }

    [Test]
    public void TracedAndNoTraceTogetherOnAType()
    {
        var errors = Errors(@"using SysdigTracers;
[Traced, NoTrace]
public class Both
{
    public int Run()
    {
        return 1;
    }
}", "TracedAndNoTraceType");
        Assert.That(errors.Single().Text, Is.EqualTo("ST3002: 'Both' has both [Traced] and [NoTrace]; keep one."));
        Assert.That(errors.Single().Line, Is.EqualTo(6));
    }

    [Test]
    public void TracedAndNoTraceTogetherOnAMethodAreReportedAtTheMethod()
    {
        var errors = Errors(@"using SysdigTracers;
public class Both
{
    [Traced, NoTrace]
    public int Run()
    {
        return 1;
    }
}", "TracedAndNoTrace");
        Assert.That(errors.Single().Text, Is.EqualTo("ST3002: 'Both.Run()' has both [Traced] and [NoTrace]; keep one."));
        Assert.That(errors.Single().Line, Is.EqualTo(6));
    }

    [Test]
    public void InvalidCustomTags()
    {
        var errors = Errors(@"using SysdigTracers;
[Traced(""0bad"")]
public class Tags
{
    [Traced(""a<b"")]
    public int Method()
    {
        return 1;
    }

    [Traced(""x..y"")]
    public int Property => 2;
}", "InvalidTags");
        Assert.That(errors.Select(e => (e.Text, e.Line)), Is.EquivalentTo(new (string, int?)[]
        {
            ("ST3003: [Traced(\"0bad\")] on 'Tags': the first tag component must not start with '0' (sysdig misreads it).", 7),
            ("ST3003: [Traced(\"a<b\")] on method 'Tags.Method()': '<' is not allowed in a sysdig tag.", 7),
            ("ST3003: [Traced(\"x..y\")] on property 'Tags.Property': a tag component is empty (two dots in a row, or a leading or trailing dot).", 12),
        }));
    }

    [Test]
    public void AsyncMethodsAndIteratorsAreWovenWithoutWarnings()
    {
        var warnings = Errors(@"using SysdigTracers;
using System.Collections.Generic;
using System.Threading.Tasks;
public class Later
{
    [Traced]
    public async Task<int> Work()
    {
        await Task.Yield();
        return 1;
    }

    [Traced]
    public IEnumerable<int> Items()
    {
        yield return 1;
    }
}", "AsyncWarnings", warnings: true);
        // Woven since issue 4 (Tests/Async covers what they write).
        Assert.That(warnings.Select(w => (w.Text, w.Line)), Is.Empty);
    }

    [Test]
    public void ScopeSelectionSkipsBodilessMembersSilently()
    {
        var path = SnippetCompiler.CompileToFile(@"using SysdigTracers;
[Traced]
public abstract class Base
{
    public abstract int Compute();
    public int Twice() => Compute() * 2;
}", "ScopeAbstract");
        var result = WeavingFixture.WeaveFile(path, "ScopeAbstract", null);
        Assert.That(result.Errors, Is.Empty);
        Assert.That(result.Warnings, Is.Empty);
    }

    [Test]
    public void TracedAndNoTraceTogetherOnAPropertyAreReportedAtItsAccessor()
    {
        var errors = Errors(@"using SysdigTracers;
public class Both
{
    [Traced, NoTrace]
    public int Value
    {
        get { return 1; }
    }
}", "TracedAndNoTraceProperty");
        Assert.That(errors.Single().Text, Is.EqualTo("ST3002: 'Both.Value' has both [Traced] and [NoTrace]; keep one."));
        Assert.That(errors.Single().Line, Is.EqualTo(7));
        Assert.That(errors.Single().File, Does.EndWith("TracedAndNoTraceProperty.cs"));
    }

    [Test]
    public void AMissingRuntimeIsReportedAtTheFirstSelectedMethod()
    {
        var path = SnippetCompiler.CompileToFile(@"namespace Shop;
public class Orders
{
    public int Place()
    {
        return System.Environment.ProcessorCount;
    }
}", "MissingRuntime");
        var weaver = new SysdigTracers.Fody.ModuleWeaver { Config = System.Xml.Linq.XElement.Parse("<SysdigTracers IncludeNamespaces='Shop' />") };
        var refusal = Assert.Throws<Fody.WeavingException>(() => weaver.ExecuteTestRun(
            path,
            runPeVerify: false,
            writeSymbols: true,
            folderName: "MissingRuntime",
            beforeExecuteCallback: _ => HideTheRuntime(weaver)))!;
        Assert.That(refusal.Message, Does.StartWith("ST3006: 'Shop.Orders.Place()' and maybe other methods are selected for tracing"));
        Assert.That(refusal.SequencePoint?.StartLine, Is.EqualTo(5));
        Assert.That(refusal.SequencePoint?.Document.Url, Does.EndWith("MissingRuntime.cs"));
    }

    // TryFindTypeDefinition looks types up through this delegate, the one way to take the runtime from the references.
#pragma warning disable CS0618
    static void HideTheRuntime(SysdigTracers.Fody.ModuleWeaver weaver)
    {
        var find = weaver.TryFindType;
        weaver.TryFindType = (string name, out Mono.Cecil.TypeDefinition? type) =>
        {
            type = null;
            return !name.StartsWith("SysdigTracers.", System.StringComparison.Ordinal) && find(name, out type);
        };
    }
#pragma warning restore CS0618

    [Test]
    public void TheWeaverDefinesNoSubclassOfWeavingException()
    {
        // Fody compares the exception's type name with "WeavingException": a subclass that escapes is reported as a
        // crash with a stack trace instead of a build error at its sequence point.
        var subclasses = typeof(SysdigTracers.Fody.ModuleWeaver).Assembly.GetTypes()
            .Where(t => typeof(Fody.WeavingException).IsAssignableFrom(t))
            .Select(t => t.FullName);
        Assert.That(subclasses, Is.Empty);
    }

    [Test]
    public void EveryCodeIsInTheReadmeTable() => EveryCodeIsInTheReadmeTableOf(ReadmeNextTo());

    static string ReadmeNextTo([System.Runtime.CompilerServices.CallerFilePath] string here = "") =>
        System.IO.File.ReadAllText(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(here)!, "..", "..", "README.md"));

    static void EveryCodeIsInTheReadmeTableOf(string readme)
    {
        var codes = typeof(SysdigTracers.Fody.DiagnosticCodes)
            .GetFields()
            .Concat(typeof(SysdigTracers.Fody.Configuration.ConfigurationError).GetFields())
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .Append(SysdigTracers.Fody.Configuration.UnmatchedNamespaceRules.Code)
            .ToList();
        Assert.That(codes, Has.Count.EqualTo(17));
        Assert.That(codes, Is.Unique);
        Assert.That(codes.Where(c => !readme.Contains($"| `{c}` |")), Is.Empty, "codes missing from README's table");
    }

    [Test]
    public void InvalidConfigurationFailsTheBuild()
    {
        var path = SnippetCompiler.CompileToFile("public class C { }", "InvalidConfig");
        // Exactly WeavingException: Fody reports any other exception type, subclasses included, as a crash.
        var exception = Assert.Throws<Fody.WeavingException>(() => WeavingFixture.WeaveFile(path, "InvalidConfig", "<SysdigTracers Arguments='maybe' />"));
        Assert.That(exception!.Message, Does.StartWith("ST1003: <SysdigTracers>: attribute Arguments=\"maybe\""));
    }

    [Test]
    public void AnInvalidAssemblyCeilingFailsTheBuildAtItsLineInFodyWeaversXml()
    {
        var directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sysdigtracers-ceiling-" + System.Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        try
        {
            const string Xml = "<Weavers>\n  <SysdigTracers IncludeNamespaces='Shop'\n                 MaxAssemblySpansPerSecond='-10' />\n</Weavers>\n";
            var file = System.IO.Path.Combine(directory, "FodyWeavers.xml");
            System.IO.File.WriteAllText(file, Xml);
            var path = SnippetCompiler.CompileToFile("namespace Shop { public class Orders { public int Place() => System.Environment.ProcessorCount; } }", "InvalidCeiling");
            var weaver = new SysdigTracers.Fody.ModuleWeaver
            {
                Config = System.Xml.Linq.XElement.Parse(System.Xml.Linq.XDocument.Parse(Xml).Root!.Element("SysdigTracers")!.ToString()),
                ProjectDirectoryPath = directory,
            };
            var refusal = Assert.Throws<Fody.WeavingException>(() => weaver.ExecuteTestRun(path, runPeVerify: false, folderName: "InvalidCeiling"))!;
            Assert.That(refusal.Message, Is.EqualTo(
                "ST1008: <SysdigTracers>: attribute MaxAssemblySpansPerSecond=\"-10\" is not a whole number from 0 (no ceiling) to 2147483647."));
            Assert.That(refusal.SequencePoint?.Document.Url, Is.EqualTo(file));
            Assert.That((refusal.SequencePoint?.StartLine, refusal.SequencePoint?.StartColumn), Is.EqualTo(((int?)3, (int?)18)));
        }
        finally
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
    }

    [TestCase("<SysdigTracers IncludeNamespaces='AssemblyToProcess.Rulez*' />", "IncludeNamespaces pattern 'AssemblyToProcess.Rulez*' matches no namespace of AssemblyToProcess; the closest namespace is 'AssemblyToProcess.Rules'.")]
    [TestCase("<SysdigTracers IncludeNamespaces='assemblytoprocess.shapes' />", "IncludeNamespaces pattern 'assemblytoprocess.shapes' matches no namespace of AssemblyToProcess; the closest namespace is 'AssemblyToProcess.Shapes'.")]
    [TestCase("<SysdigTracers IncludeNamespaces='AssemblyToProcess.Rules*' ExcludeNamespaces='Nowhere.At.All' />", "ExcludeNamespaces pattern 'Nowhere.At.All' matches no namespace of AssemblyToProcess; the closest namespace is")]
    public void NamespaceRuleThatMatchesNoTypeIsAWarningNamingTheClosestNamespace(string config, string warning)
    {
        var reported = WeavingFixture.WeaveReporting(WeavingFixture.AssemblyToProcessPath, "Unmatched" + System.Math.Abs(config.GetHashCode()), config);

        Assert.That(reported.Warnings.Select(w => w.Text), Has.One.StartWith("ST2001: " + warning));
    }

    [Test]
    public void RulesThatMatchReportNothing()
    {
        var reported = WeavingFixture.WeaveReporting(
            WeavingFixture.AssemblyToProcessPath, "AllMatched", "<SysdigTracers IncludeNamespaces='AssemblyToProcess.Rules*' ExcludeNamespaces='AssemblyToProcess.Rules.Excluded' />");

        Assert.That(reported.Warnings.Select(w => w.Text), Has.None.Contains("ST2001"));
    }
}
