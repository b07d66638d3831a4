using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;
using NUnit.Framework;

namespace Tests.Weaving;

/// <summary>
/// The tests' one Roslyn compiler: compiles C# (with a portable PDB unless told otherwise) against .NET 10 and the
/// SysdigTracers runtime, or against the references a test gives.
/// </summary>
public static class SnippetCompiler
{
    /// <summary>The .NET 10 reference assemblies and the SysdigTracers runtime.</summary>
    public static IEnumerable<MetadataReference> Net100WithRuntime =>
        Net100.References.All.Concat(new[] { MetadataReference.CreateFromFile(typeof(SysdigTracers.Tracer).Assembly.Location) });

    /// <summary>Compiles <paramref name="trees"/> into <paramref name="pe"/> (and <paramref name="pdb"/>) and returns the result.</summary>
    public static EmitResult Emit(
        string assemblyName,
        IEnumerable<SyntaxTree> trees,
        CSharpCompilationOptions options,
        Stream pe,
        Stream? pdb,
        EmitOptions? emitOptions = null,
        IEnumerable<MetadataReference>? references = null,
        Stream? sourceLink = null,
        IEnumerable<EmbeddedText>? embeddedTexts = null) =>
        CSharpCompilation.Create(assemblyName, trees, references ?? Net100WithRuntime, options).Emit(
            pe,
            pdb,
            options: emitOptions ?? new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb),
            sourceLinkStream: sourceLink,
            embeddedTexts: embeddedTexts);

    /// <summary>
    /// Compiles <paramref name="trees"/> into the file <paramref name="dll"/> (the assembly takes its name), with its
    /// PDB next to it when <paramref name="writePdb"/>, and returns the result.
    /// </summary>
    public static EmitResult EmitToFile(
        string dll,
        IEnumerable<SyntaxTree> trees,
        CSharpCompilationOptions options,
        EmitOptions? emitOptions = null,
        IEnumerable<MetadataReference>? references = null,
        bool writePdb = true)
    {
        using var pe = File.Create(dll);
        using var pdb = writePdb ? File.Create(Path.ChangeExtension(dll, ".pdb")) : null;
        return Emit(Path.GetFileNameWithoutExtension(dll), trees, options, pe, pdb, emitOptions, references);
    }

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
        using var peStream = new MemoryStream();
        using var pdbStream = new MemoryStream();
        using var sourceLinkStream = sourceLink == null ? null : new MemoryStream(System.Text.Encoding.UTF8.GetBytes(sourceLink));
        var result = Emit(
            assemblyName,
            new[] { tree },
            new CSharpCompilationOptions(outputKind, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable, optimizationLevel: optimization),
            peStream,
            pdbStream,
            sourceLink: sourceLinkStream,
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
