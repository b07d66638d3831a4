using System.Linq;
using Fody;
using Mono.Cecil;

namespace SysdigTracers.Fody;

/// <summary>
/// Every type and member of the runtime library (and of the core library) that woven code uses, imported into the
/// module being woven. The one place that knows the runtime's weaver-facing contract.
/// </summary>
internal sealed class RuntimeReferences
{
    const string MethodTracerName = "SysdigTracers.Infrastructure.MethodTracer";
    const string TracerArgsName = "SysdigTracers.Infrastructure.TracerArgs";
    const string TracerName = "SysdigTracers.Tracer";

    RuntimeReferences(ModuleDefinition module, TypeDefinition methodTracer, TypeDefinition tracerArgs, TypeDefinition tracer, TypeDefinition exception, TypeDefinition compilerGenerated)
    {
        Module = module;
        var importer = new RuntimeImporter(module);
        MethodTracerType = importer.Type(methodTracer);
        MethodTracerConstructor = importer.Method(methodTracer.Methods.Single(m =>
            m.IsConstructor && !m.IsStatic && m.Parameters.Count == 2));
        TracerArgsType = importer.Type(tracerArgs);
        TracerArgsAdd = importer.Method(Instance(tracerArgs, "Add", 1));
        TracerArgsAddRedacted = importer.Method(Instance(tracerArgs, "AddRedacted", 0));
        TracerArgsWrite = importer.Method(Instance(tracerArgs, "Write", 0));
        TracerEnabledGetter = importer.Method(tracer.Properties.Single(p => p.Name == "Enabled").GetMethod);
        ExceptionType = importer.Type(exception);
        CompilerGeneratedConstructor = importer.Method(compilerGenerated.Methods.Single(m => m.IsConstructor && !m.IsStatic && m.Parameters.Count == 0));
        NewSpanId = importer.Method(tracer.Methods.Single(m => m.Name == "NewSpanId" && m.IsStatic && m.Parameters.Count == 0));
        Activities = new ActivityReferences(importer, methodTracer);
    }

    /// <summary>The members woven code uses for Activities.</summary>
    public ActivityReferences Activities { get; }

    /// <summary>The module being woven, into which every reference is imported.</summary>
    public ModuleDefinition Module { get; }

    /// <summary><c>SysdigTracers.Infrastructure.MethodTracer</c>.</summary>
    public TypeReference MethodTracerType { get; }

    /// <summary><c>MethodTracer(string tag, string[]? argumentNames)</c>.</summary>
    public MethodReference MethodTracerConstructor { get; }

    /// <summary><c>SysdigTracers.Infrastructure.TracerArgs</c> (a struct).</summary>
    public TypeReference TracerArgsType { get; }

    /// <summary><c>TracerArgs.Add&lt;T&gt;(T value)</c>, open.</summary>
    public MethodReference TracerArgsAdd { get; }

    /// <summary><c>TracerArgs.AddRedacted()</c>.</summary>
    public MethodReference TracerArgsAddRedacted { get; }

    /// <summary><c>TracerArgs.Write()</c>.</summary>
    public MethodReference TracerArgsWrite { get; }

    /// <summary>The getter of <c>SysdigTracers.Tracer.Enabled</c>.</summary>
    public MethodReference TracerEnabledGetter { get; }

    /// <summary><c>Tracer.NewSpanId()</c>.</summary>
    public MethodReference NewSpanId { get; }

    /// <summary><c>System.Exception</c>.</summary>
    public TypeReference ExceptionType { get; }

    /// <summary>The constructor of <c>System.Runtime.CompilerServices.CompilerGeneratedAttribute</c>.</summary>
    public MethodReference CompilerGeneratedConstructor { get; }

    /// <summary>
    /// Resolves the runtime by name through the assemblies the weaver scans (the project's references), so it works
    /// even when the compiled code never mentions a runtime type (methods selected by namespace rules only).
    /// </summary>
    /// <param name="weaver">The weaver, whose scanned assemblies are searched.</param>
    /// <param name="firstSelected">A method selected for tracing, where a missing runtime is reported.</param>
    /// <exception cref="WeavingException">The project does not reference the SysdigTracers runtime.</exception>
    public static RuntimeReferences Resolve(BaseModuleWeaver weaver, MethodDefinition firstSelected)
    {
        if (!weaver.TryFindTypeDefinition(MethodTracerName, out var methodTracer) ||
            !weaver.TryFindTypeDefinition(TracerArgsName, out var tracerArgs) ||
            !weaver.TryFindTypeDefinition(TracerName, out var tracer))
        {
            throw new WeavingException(
                $"{DiagnosticCodes.NoRuntime}: '{Naming.CSharpName.Of(firstSelected)}' and maybe other methods are selected for " +
                "tracing but the SysdigTracers runtime library cannot be found among the project's references; reference " +
                "the SysdigTracers.Fody package (it brings SysdigTracers.dll).")
            {
                SequencePoint = Diagnostics.Locate(firstSelected),
            };
        }

        return new RuntimeReferences(
            weaver.ModuleDefinition,
            methodTracer,
            tracerArgs,
            tracer,
            weaver.FindTypeDefinition("System.Exception"),
            weaver.FindTypeDefinition("System.Runtime.CompilerServices.CompilerGeneratedAttribute"));
    }

    static MethodDefinition Instance(TypeDefinition type, string name, int parameterCount) =>
        type.Methods.Single(m => m.Name == name && !m.IsStatic && m.Parameters.Count == parameterCount);
}
