using System.Collections.Generic;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;
using SysdigTracers.Fody.Naming;
using SysdigTracers.Fody.Selection;

namespace SysdigTracers.Fody.Weaving;

/// <summary>
/// The generated type <c>&lt;SysdigTracers&gt;MethodTracers</c>: one <c>static readonly MethodTracer</c> field per woven
/// method, created in its static constructor with the tag and argument names computed at weave time. The type is
/// <c>beforefieldinit</c>, so the tracers are built on the first call of any woven method, not at module load.
/// Its first field is the assembly's <c>TracedAssembly</c> (the ActivitySource every tracer starts Activities from).
/// </summary>
internal sealed class TracerFieldHolder
{
    /// <summary>Name of the generated type (in the global namespace).</summary>
    public const string TypeName = "<SysdigTracers>MethodTracers";

    readonly ModuleDefinition module;
    readonly RuntimeReferences references;
    readonly ActivityReferences activities;
    readonly FieldDefinition assembly;
    readonly TypeDefinition type;
    readonly ILProcessor initializer;
    readonly HashSet<string> fieldNames = new();
    readonly bool codeAttributes;

    /// <summary>Adds the holder type to <paramref name="module"/>, with the assembly's ActivitySource.</summary>
    /// <param name="module">The module being woven.</param>
    /// <param name="references">The runtime.</param>
    /// <param name="sourceName">The ActivitySource name (FodyWeavers.xml's, or the assembly's name).</param>
    /// <param name="traceContext">Whether enter tracers carry the Activity's ids (FodyWeavers.xml <c>TraceContext</c>).</param>
    /// <param name="codeAttributes">Whether Activities carry the <c>code.*</c> attributes (FodyWeavers.xml <c>CodeAttributes</c>).</param>
    /// <param name="maxSpansPerSecond">The ceiling on spans per second of each method, or 0 (FodyWeavers.xml <c>MaxSpansPerSecond</c>).</param>
    /// <param name="maxAssemblySpansPerSecond">
    /// The ceiling on spans per second of all methods together, or 0 (FodyWeavers.xml <c>MaxAssemblySpansPerSecond</c>).
    /// </param>
    public TracerFieldHolder(
        ModuleDefinition module,
        RuntimeReferences references,
        string sourceName,
        bool traceContext,
        bool codeAttributes,
        int maxSpansPerSecond,
        int maxAssemblySpansPerSecond)
    {
        this.codeAttributes = codeAttributes;
        this.module = module;
        this.references = references;
        activities = references.Activities;
        type = new TypeDefinition(
            "",
            TypeName,
            TypeAttributes.NotPublic | TypeAttributes.Abstract | TypeAttributes.Sealed | TypeAttributes.BeforeFieldInit |
            TypeAttributes.Class,
            module.TypeSystem.Object);
        type.CustomAttributes.Add(new CustomAttribute(references.CompilerGeneratedConstructor));
        module.Types.Add(type);

        var cctor = new MethodDefinition(
            ".cctor",
            MethodAttributes.Private | MethodAttributes.Static | MethodAttributes.HideBySig | MethodAttributes.SpecialName |
            MethodAttributes.RTSpecialName,
            module.TypeSystem.Void);
        type.Methods.Add(cctor);
        initializer = cctor.Body.GetILProcessor();

        assembly = new FieldDefinition(
            "<>assembly",
            FieldAttributes.Assembly | FieldAttributes.Static | FieldAttributes.InitOnly,
            activities.TracedAssemblyType);
        type.Fields.Add(assembly);
        fieldNames.Add(assembly.Name);
        initializer.Emit(OpCodes.Ldstr, sourceName);
        initializer.Emit(OpCodes.Ldstr, module.Assembly.Name.Version.ToString());
        initializer.Emit(traceContext ? OpCodes.Ldc_I4_1 : OpCodes.Ldc_I4_0);
        initializer.Emit(OpCodes.Ldc_I4, maxSpansPerSecond);
        initializer.Emit(OpCodes.Ldc_I4, maxAssemblySpansPerSecond);
        initializer.Emit(OpCodes.Newobj, activities.TracedAssemblyConstructor);
        initializer.Emit(OpCodes.Stsfld, assembly);
    }

    /// <summary>The generated type.</summary>
    public TypeDefinition Type => type;

    /// <summary>Adds the tracer of a planned method whose enter arguments are <paramref name="parameters"/>.</summary>
    public FieldDefinition Add(TracingPlan plan, IReadOnlyList<ParameterDefinition> parameters)
    {
        string[]? names = null;
        if (parameters.Count > 0)
        {
            names = new string[parameters.Count];
            for (var i = 0; i < names.Length; i++)
            {
                names[i] = TracedValues.ArgumentName(parameters[i]);
            }
        }

        var line = codeAttributes ? CodeLocation.Of(plan.Method) : null;
        return Add(
            plan.Tag,
            names,
            SpanNaming.SpanName(plan.Method, plan.Tag),
            codeAttributes ? SpanNaming.FunctionName(plan.Method) : null,
            line?.Document.Url,
            line?.StartLine ?? 0,
            plan.CallToString);
    }

    /// <summary>
    /// Adds the tracer of one method and returns its field.
    /// </summary>
    /// <param name="tag">The dotted tag.</param>
    /// <param name="argumentNames">The enter argument names in the order the woven code adds them, or null.</param>
    /// <param name="spanName">The Activity name.</param>
    /// <param name="functionName">The <c>code.function.name</c> tag, or null for no <c>code.*</c> tags.</param>
    /// <param name="filePath">The <c>code.file.path</c> tag, or null.</param>
    /// <param name="lineNumber">The <c>code.line.number</c> tag.</param>
    /// <param name="callToString">Whether values of types other than the well-known value-like ones are written with <c>ToString()</c>.</param>
    public FieldDefinition Add(
        string tag, IReadOnlyList<string>? argumentNames, string spanName, string? functionName, string? filePath, int lineNumber, bool callToString)
    {
        var field = new FieldDefinition(
            UniqueFieldName(tag),
            FieldAttributes.Assembly | FieldAttributes.Static | FieldAttributes.InitOnly,
            references.MethodTracerType);
        type.Fields.Add(field);

        initializer.Emit(OpCodes.Ldstr, tag);
        if (argumentNames is { Count: > 0 })
        {
            initializer.Emit(OpCodes.Ldc_I4, argumentNames.Count);
            initializer.Emit(OpCodes.Newarr, module.TypeSystem.String);
            for (var i = 0; i < argumentNames.Count; i++)
            {
                initializer.Emit(OpCodes.Dup);
                initializer.Emit(OpCodes.Ldc_I4, i);
                initializer.Emit(OpCodes.Ldstr, argumentNames[i]);
                initializer.Emit(OpCodes.Stelem_Ref);
            }
        }
        else
        {
            initializer.Emit(OpCodes.Ldnull);
        }

        initializer.Emit(OpCodes.Ldsfld, assembly);
        initializer.Emit(OpCodes.Ldstr, spanName);
        EmitString(functionName);
        EmitString(filePath);
        initializer.Emit(OpCodes.Ldc_I4, lineNumber);
        initializer.Emit(callToString ? OpCodes.Ldc_I4_1 : OpCodes.Ldc_I4_0);
        initializer.Emit(OpCodes.Newobj, activities.MethodTracerConstructor);
        initializer.Emit(OpCodes.Stsfld, field);
        return field;
    }

    /// <summary>Finishes the static constructor; call once, after the last <see cref="Add"/>.</summary>
    public void Complete()
    {
        initializer.Emit(OpCodes.Ret);
        initializer.Body.OptimizeMacros();
    }

    void EmitString(string? value)
    {
        if (value != null)
        {
            initializer.Emit(OpCodes.Ldstr, value);
        }
        else
        {
            initializer.Emit(OpCodes.Ldnull);
        }
    }

    string UniqueFieldName(string tag)
    {
        var name = tag.Replace('.', '_');
        var candidate = name;
        for (var i = 2; !fieldNames.Add(candidate); i++)
        {
            candidate = name + "_" + i;
        }

        return candidate;
    }
}
