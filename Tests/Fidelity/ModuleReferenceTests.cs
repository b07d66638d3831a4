using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NUnit.Framework;
using Tests.Weaving;

namespace Tests.Fidelity;

/// <summary>
/// The woven module references exactly the assemblies the compiler's output referenced, plus the SysdigTracers
/// runtime, and every type it references through them is one of the compiler's or a type of the same assemblies
/// (Hot Reload refuses every edit of a module whose references changed version, CS7038): consumers on .NET 10,
/// .NET 8, .NET Standard 2.0 and .NET Framework 4.8, compiled against their own reference assemblies.
/// </summary>
public class ModuleReferenceTests
{
    const string Source = """
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using SysdigTracers;

        namespace Consumer
        {
            public class Base
            {
                public Base(int x) { }
            }

            public class Shapes : Base
            {
                public Shapes() : base(1) { }

                [Traced(Arguments = true, ReturnValue = true)]
                public static int Plain(int a, string b) => a + b.Length;

                [Traced]
                public static T Generic<T>(T value, ref int r, out long o) { o = r; return value; }

                [Traced]
                public static IEnumerable<int> Iterator(int count)
                {
                    for (var i = 0; i < count; i++) yield return i;
                }

                [Traced(ReturnValue = true)]
                public static async Task<int> Async(Task<int> gate) => await gate + 1;

                public static int Lambda(int x)
                {
                    Func<int, int> f = [Traced] (int y) => y * 2;
                    return f(x) + Local(x);

                    [Traced]
                    static int Local(int z) => z - 1;
                }
        #if ASYNC_ENUMERABLE
                [Traced]
                public static async IAsyncEnumerable<int> AsyncIterator(Task gate)
                {
                    await gate;
                    yield return 1;
                }
        #endif
            }

            public struct Value
            {
                public int V;

                [Traced]
                public int Twice() => V * 2;
            }
        }
        """;

    public static IEnumerable<TestCaseData> Consumers()
    {
        yield return new TestCaseData("net10.0", (Func<IEnumerable<MetadataReference>>)(() => Net100.References.All), true);
        yield return new TestCaseData("net8.0", (Func<IEnumerable<MetadataReference>>)(() => Net80.References.All), true);
        yield return new TestCaseData("netstandard2.0", (Func<IEnumerable<MetadataReference>>)(() => Folder(Metadata("NetStandard20ReferencePath"))), false);
        yield return new TestCaseData("net48", (Func<IEnumerable<MetadataReference>>)(() =>
            Folder(Metadata("Net48ReferencePath")).Concat(Folder(Path.Combine(Metadata("Net48ReferencePath"), "Facades")))), false);
    }

    [TestCaseSource(nameof(Consumers))]
    public void TheWovenModuleReferencesWhatTheCompilerReferencedPlusTheRuntime(string consumer, Func<IEnumerable<MetadataReference>> framework, bool modernRuntime)
    {
        // A .NET Framework or .NET Standard consumer gets the package's netstandard2.0 runtime, a .NET one its net8.0 runtime.
        var runtime = modernRuntime ? typeof(SysdigTracers.Tracer).Assembly.Location : Metadata("RuntimeNetStandardPath");
        var plain = Compile(consumer, framework().Append(MetadataReference.CreateFromFile(runtime)), modernRuntime);
        var woven = WeavingFixture.WeaveFile(plain, "woven", "<SysdigTracers />").AssemblyPath;

        var before = References.Read(plain);
        var after = References.Read(woven);

        // The test weave resolves the core types from the test process's own runtime and Fody's helpers import them
        // up front, which adds System.Private.CoreLib to any module it writes, woven or not; a build resolves them
        // from the project's references instead (SampleAppTests checks a real build). No type goes through it.
        var harness = HarnessAssemblyReferences();
        Assert.That(harness, Has.Count.LessThanOrEqualTo(1));
        after = after with { Assemblies = after.Assemblies.Except(harness.Except(before.Assemblies)).ToList() };
        TestContext.Out.WriteLine("added type references: " + string.Join(", ", after.Types.Except(before.Types)));
        Assert.Multiple(() =>
        {
            Assert.That(after.Assemblies, Is.EquivalentTo(before.Assemblies), "assembly references (SysdigTracers is referenced by [Traced] already)");
            Assert.That(after.Types.Except(before.Types).Where(t => !t.StartsWith("[SysdigTracers]", StringComparison.Ordinal) &&
                                                                     !before.Assemblies.Any(a => t.StartsWith("[" + a.Split(',')[0] + "]", StringComparison.Ordinal))),
                Is.Empty, "type references outside the compiler's assemblies");
            Assert.That(after.TypeScopes, Is.SubsetOf(before.Assemblies), "every type reference goes through an assembly the compiler referenced");
        });
        Assert.That(after.Types.Except(before.Types), Is.Not.Empty, "the module was woven");
    }

    /// <summary>What the test weave adds to a module with nothing to weave.</summary>
    static List<string> HarnessAssemblyReferences()
    {
        var dll = SnippetCompiler.CompileToFile("public class NothingTraced { public int F(int x) => x + 1; }", "NothingTraced");
        var woven = WeavingFixture.WeaveFile(dll, "nothing-traced", "<SysdigTracers />").AssemblyPath;
        return References.Read(woven).Assemblies.Except(References.Read(dll).Assemblies).ToList();
    }

    static string Metadata(string key) =>
        typeof(ModuleReferenceTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    static IEnumerable<MetadataReference> Folder(string path)
    {
        Assert.That(Directory.Exists(path), path);
        // The .NET Framework pack also holds a few native images (System.EnterpriseServices.Thunk.dll) and modules that are not assemblies.
        return Directory.GetFiles(path, "*.dll").Where(IsManaged).Select(f => MetadataReference.CreateFromFile(f));
    }

    static bool IsManaged(string path)
    {
        using var pe = new PEReader(File.OpenRead(path));
        return pe.HasMetadata && pe.GetMetadataReader().IsAssembly;
    }

    static string Compile(string consumer, IEnumerable<MetadataReference> references, bool asyncEnumerable)
    {
        var name = "Consumer_" + consumer.Replace('.', '_');
        var options = new CSharpParseOptions(LanguageVersion.Latest, preprocessorSymbols: asyncEnumerable ? new[] { "ASYNC_ENUMERABLE" } : null);
        var compilation = CSharpCompilation.Create(
            name,
            new[] { CSharpSyntaxTree.ParseText(Source, options, name + ".cs", System.Text.Encoding.UTF8) },
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release));
        var directory = Path.Combine(TestContext.CurrentContext.TestDirectory, "consumers", consumer);
        Directory.CreateDirectory(directory);
        var dll = Path.Combine(directory, name + ".dll");
        using (var pe = File.Create(dll))
        using (var pdb = File.Create(Path.ChangeExtension(dll, ".pdb")))
        {
            var result = compilation.Emit(pe, pdb, options: new Microsoft.CodeAnalysis.Emit.EmitOptions(
                debugInformationFormat: Microsoft.CodeAnalysis.Emit.DebugInformationFormat.PortablePdb));
            Assert.That(result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()), Is.Empty);
        }

        return dll;
    }

    /// <summary>The assembly references of a module (full names) and its type references (as <c>[assembly]Namespace.Name</c>).</summary>
    sealed record References(List<string> Assemblies, HashSet<string> Types, HashSet<string> TypeScopes)
    {
        public static References Read(string path)
        {
            using var pe = new PEReader(File.OpenRead(path));
            var metadata = pe.GetMetadataReader();
            string Assembly(AssemblyReferenceHandle handle) => metadata.GetAssemblyReference(handle).GetAssemblyName().FullName;
            var assemblies = metadata.AssemblyReferences.Select(Assembly).ToList();
            var types = new HashSet<string>();
            var scopes = new HashSet<string>();
            foreach (var handle in metadata.TypeReferences)
            {
                var type = metadata.GetTypeReference(handle);
                var scope = type.ResolutionScope;
                while (scope.Kind == HandleKind.TypeReference)
                {
                    scope = metadata.GetTypeReference((TypeReferenceHandle)scope).ResolutionScope;
                }

                var assembly = scope.Kind == HandleKind.AssemblyReference ? Assembly((AssemblyReferenceHandle)scope) : scope.Kind.ToString();
                scopes.Add(assembly);
                types.Add($"[{assembly.Split(',')[0]}]{metadata.GetString(type.Namespace)}.{metadata.GetString(type.Name)}");
            }

            return new References(assemblies, types, scopes);
        }
    }
}
