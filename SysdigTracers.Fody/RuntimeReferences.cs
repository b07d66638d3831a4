using System.Linq;
using Fody;
using Mono.Cecil;

namespace SysdigTracers.Fody;

/// <summary>
/// Every type and member of the runtime library (and of the core library) that woven code uses, imported into the
/// module being woven. The one place that knows the runtime's weaver-facing contract.
/// </summary>
public sealed class RuntimeReferences
{
    const string MethodTracerName = "SysdigTracers.Infrastructure.MethodTracer";
    const string TracerArgsName = "SysdigTracers.Infrastructure.TracerArgs";
    const string TracerName = "SysdigTracers.Tracer";

    RuntimeReferences(ModuleDefinition module, TypeDefinition methodTracer, TypeDefinition tracerArgs, TypeDefinition tracer, TypeDefinition exception, TypeDefinition compilerGenerated)
    {
        Importer = new RuntimeImporter(module);
        MethodTracerType = Importer.Type(methodTracer);
        MethodTracerConstructor = Import(methodTracer.Methods.Single(m =>
            m.IsConstructor && !m.IsStatic && m.Parameters.Count == 2));
        Enter = Import(Instance(methodTracer, "Enter", 0));
        BeginEnter = Import(Instance(methodTracer, "BeginEnter", 1));
        Exit = Import(methodTracer.Methods.Single(m =>
            m.Name == "Exit" && m.Parameters.Count == 1 && m.Parameters[0].ParameterType.FullName == "System.Exception"));
        ExitWithReturn = Import(Instance(methodTracer, "ExitWithReturn", 3));
        TracerArgsType = Importer.Type(tracerArgs);
        TracerArgsAdd = Import(Instance(tracerArgs, "Add", 1));
        TracerArgsWrite = Import(Instance(tracerArgs, "Write", 0));
        TracerEnabledGetter = Import(tracer.Properties.Single(p => p.Name == "Enabled").GetMethod);
        ExceptionType = Importer.Type(exception);
        CompilerGeneratedConstructor = Import(compilerGenerated.Methods.Single(m => m.IsConstructor && !m.IsStatic && m.Parameters.Count == 0));
    }

    /// <summary>Imports runtime members so that the module references only what the compiler referenced and the runtime.</summary>
    public RuntimeImporter Importer { get; }

    /// <summary><c>SysdigTracers.Infrastructure.MethodTracer</c>.</summary>
    public TypeReference MethodTracerType { get; }

    /// <summary><c>MethodTracer(string tag, string[]? argumentNames)</c>.</summary>
    public MethodReference MethodTracerConstructor { get; }

    /// <summary><c>MethodTracer.Enter()</c>.</summary>
    public MethodReference Enter { get; }

    /// <summary><c>MethodTracer.BeginEnter(long spanId)</c>.</summary>
    public MethodReference BeginEnter { get; }

    /// <summary><c>MethodTracer.Exit(Exception? exception)</c>.</summary>
    public MethodReference Exit { get; }

    /// <summary><c>MethodTracer.ExitWithReturn&lt;T&gt;(long spanId, Exception? exception, T returnValue)</c>, open.</summary>
    public MethodReference ExitWithReturn { get; }

    /// <summary><c>SysdigTracers.Infrastructure.TracerArgs</c> (a struct).</summary>
    public TypeReference TracerArgsType { get; }

    /// <summary><c>TracerArgs.Add&lt;T&gt;(T value)</c>, open.</summary>
    public MethodReference TracerArgsAdd { get; }

    /// <summary><c>TracerArgs.Write()</c>.</summary>
    public MethodReference TracerArgsWrite { get; }

    /// <summary>The getter of <c>SysdigTracers.Tracer.Enabled</c>.</summary>
    public MethodReference TracerEnabledGetter { get; }

    /// <summary><c>System.Exception</c>.</summary>
    public TypeReference ExceptionType { get; }

    /// <summary>The constructor of <c>System.Runtime.CompilerServices.CompilerGeneratedAttribute</c>.</summary>
    public MethodReference CompilerGeneratedConstructor { get; }

    /// <summary>
    /// Resolves the runtime by name through the assemblies the weaver scans (the project's references), so it works
    /// even when the compiled code never mentions a runtime type (methods selected by namespace rules only).
    /// </summary>
    /// <exception cref="WeavingException">The project does not reference the SysdigTracers runtime.</exception>
    public static RuntimeReferences Resolve(BaseModuleWeaver weaver)
    {
        if (!weaver.TryFindTypeDefinition(MethodTracerName, out var methodTracer) ||
            !weaver.TryFindTypeDefinition(TracerArgsName, out var tracerArgs) ||
            !weaver.TryFindTypeDefinition(TracerName, out var tracer))
        {
            throw new WeavingException(
                "Methods are selected for tracing but the SysdigTracers runtime library cannot be found among the " +
                "project's references; reference the SysdigTracers.Fody package (it brings SysdigTracers.dll).");
        }

        return new RuntimeReferences(
            weaver.ModuleDefinition,
            methodTracer,
            tracerArgs,
            tracer,
            weaver.FindTypeDefinition("System.Exception"),
            weaver.FindTypeDefinition("System.Runtime.CompilerServices.CompilerGeneratedAttribute"));
    }

    MethodReference Import(MethodReference method) => Importer.Method(method);

    static MethodDefinition Instance(TypeDefinition type, string name, int parameterCount) =>
        type.Methods.Single(m => m.Name == name && !m.IsStatic && m.Parameters.Count == parameterCount);
}
