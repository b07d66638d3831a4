using System;
using System.IO;
using System.Linq;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NUnit.Framework;

namespace Tests.Weaving;

/// <summary>Compiles C# snippets (with a portable PDB) against .NET 10 and the SysdigTracers runtime.</summary>
public static class SnippetCompiler
{
    /// <summary>Compiles <paramref name="source"/> and returns the assembly bytes (throws on compile errors).</summary>
    public static byte[] Compile(string source, OutputKind outputKind = OutputKind.DynamicallyLinkedLibrary) =>
        Compile(source, outputKind, out _);

    /// <summary>
    /// Compiles and returns the assembly and PDB bytes; with <paramref name="sourceLink"/>, the PDB also carries that
    /// source link document and the source itself (embedded), as a build with Source Link does.
    /// </summary>
    public static byte[] Compile(
        string source,
        OutputKind outputKind,
        out byte[] pdb,
        string assemblyName = "Snippet",
        string path = "Snippet.cs",
        OptimizationLevel optimization = OptimizationLevel.Debug,
        string? sourceLink = null)
    {
        var text = Microsoft.CodeAnalysis.Text.SourceText.From(source, System.Text.Encoding.UTF8);
        var tree = CSharpSyntaxTree.ParseText(text, new CSharpParseOptions(LanguageVersion.Preview), path);
        var references = Net100.References.All
            .Concat(new[] { MetadataReference.CreateFromFile(typeof(SysdigTracers.TracedAttribute).Assembly.Location) });
        var compilation = CSharpCompilation.Create(
            assemblyName,
            new[] { tree },
            references,
            new CSharpCompilationOptions(outputKind, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable, optimizationLevel: optimization));
        using var peStream = new MemoryStream();
        using var pdbStream = new MemoryStream();
        using var sourceLinkStream = sourceLink == null ? null : new MemoryStream(System.Text.Encoding.UTF8.GetBytes(sourceLink));
        var result = compilation.Emit(
            peStream,
            pdbStream,
            options: new Microsoft.CodeAnalysis.Emit.EmitOptions(debugInformationFormat: Microsoft.CodeAnalysis.Emit.DebugInformationFormat.PortablePdb),
            sourceLinkStream: sourceLinkStream,
            embeddedTexts: sourceLink == null ? null : new[] { EmbeddedText.FromSource(path, text) });
        var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("Snippet does not compile:" + Environment.NewLine + string.Join(Environment.NewLine, errors));
        }

        pdb = pdbStream.ToArray();
        return peStream.ToArray();
    }

    /// <summary>Compiles <paramref name="source"/> into the test output folder (dll + pdb) and returns the dll path.</summary>
    public static string CompileToFile(string source, string assemblyName)
    {
        var directory = Path.Combine(TestContext.CurrentContext.TestDirectory, "snippets");
        Directory.CreateDirectory(directory);
        var dll = Compile(source, OutputKind.DynamicallyLinkedLibrary, out var pdb, assemblyName, assemblyName + ".cs");
        var path = Path.Combine(directory, assemblyName + ".dll");
        File.WriteAllBytes(path, dll);
        File.WriteAllBytes(Path.ChangeExtension(path, ".pdb"), pdb);
        return path;
    }
}
