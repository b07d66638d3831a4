using System.Collections.Generic;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;
using SysdigTracers.Fody.Selection;

namespace SysdigTracers.Fody.Weaving;

/// <summary>
/// The generated type <c>&lt;SysdigTracers&gt;MethodTracers</c>: one <c>static readonly MethodTracer</c> field per woven
/// method, created in its static constructor with the tag and argument names computed at weave time. The type is
/// <c>beforefieldinit</c>, so the tracers are built on the first call of any woven method, not at module load.
/// </summary>
internal sealed class TracerFieldHolder
{
    /// <summary>Name of the generated type (in the global namespace).</summary>
    public const string TypeName = "<SysdigTracers>MethodTracers";

    readonly ModuleDefinition module;
    readonly RuntimeReferences references;
    readonly TypeDefinition type;
    readonly ILProcessor initializer;
    readonly HashSet<string> fieldNames = new();

    /// <summary>Adds the holder type to <paramref name="module"/>.</summary>
    public TracerFieldHolder(ModuleDefinition module, RuntimeReferences references)
    {
        this.module = module;
        this.references = references;
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

        return Add(plan.Tag, names);
    }

    /// <summary>
    /// Adds the tracer of one method and returns its field.
    /// </summary>
    /// <param name="tag">The dotted tag.</param>
    /// <param name="argumentNames">The enter argument names in the order the woven code adds them, or null.</param>
    public FieldDefinition Add(string tag, IReadOnlyList<string>? argumentNames)
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

        initializer.Emit(OpCodes.Newobj, references.MethodTracerConstructor);
        initializer.Emit(OpCodes.Stsfld, field);
        return field;
    }

    /// <summary>Finishes the static constructor; call once, after the last <see cref="Add"/>.</summary>
    public void Complete()
    {
        initializer.Emit(OpCodes.Ret);
        initializer.Body.OptimizeMacros();
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
