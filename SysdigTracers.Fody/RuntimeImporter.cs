using System.Collections.Generic;
using Mono.Cecil;

namespace SysdigTracers.Fody;

/// <summary>
/// Imports members of the SysdigTracers runtime into the module being woven so that the module references exactly
/// what the compiler's output referenced, plus the runtime: a core type in a runtime signature (<c>System.Exception</c>
/// in <c>Exit(Exception?)</c>, <c>string</c>, <c>long</c>) is referenced through the module's own core library, not
/// through the one the runtime library was built against. <c>ModuleDefinition.ImportReference</c> would copy the
/// runtime's own reference (<c>System.Runtime 8.0.0.0</c> into a .NET 10 app, <c>netstandard 2.0.0.0</c> into a .NET
/// Framework one), which the compiler never made and which makes Hot Reload refuse every edit (CS7038).
/// </summary>
internal sealed class RuntimeImporter
{
    /// <summary>The assemblies that hold (or forward) the base types: what a core library is called on each platform.</summary>
    static readonly HashSet<string> CoreLibraries = new() { "mscorlib", "netstandard", "System.Runtime", "System.Private.CoreLib" };

    readonly ModuleDefinition module;

    /// <summary>Creates an importer into <paramref name="module"/>.</summary>
    public RuntimeImporter(ModuleDefinition module) => this.module = module;

    /// <summary>A type of the runtime library, or a core type, as the module references it.</summary>
    public TypeReference Type(TypeReference type) => Map(type, null);

    /// <summary>A method of the runtime library, its signature in the module's terms.</summary>
    public MethodReference Method(MethodReference method)
    {
        var reference = new MethodReference(method.Name, module.TypeSystem.Void, Type(method.DeclaringType))
        {
            HasThis = method.HasThis,
            ExplicitThis = method.ExplicitThis,
            CallingConvention = method.CallingConvention,
        };
        foreach (var parameter in method.GenericParameters)
        {
            reference.GenericParameters.Add(new GenericParameter(parameter.Name, reference));
        }

        reference.ReturnType = Map(method.ReturnType, reference);
        foreach (var parameter in method.Parameters)
        {
            reference.Parameters.Add(new ParameterDefinition(parameter.Name, parameter.Attributes, Map(parameter.ParameterType, reference)));
        }

        return reference;
    }

    TypeReference Map(TypeReference type, MethodReference? method)
    {
        switch (type)
        {
            case GenericParameter { Type: GenericParameterType.Method } parameter when method != null:
                return method.GenericParameters[parameter.Position];
            case ByReferenceType byReference:
                return new ByReferenceType(Map(byReference.ElementType, method));
            case ArrayType array when array.IsVector:
                return new ArrayType(Map(array.ElementType, method));
            case GenericInstanceType or GenericParameter or TypeSpecification:
                return module.ImportReference(type);
        }

        if (type.MetadataType is not (MetadataType.Class or MetadataType.ValueType))
        {
            // void, bool, long, string, object ...: the module's own view of its core library.
            return PrimitiveOf(type.MetadataType.ToString()) ?? module.ImportReference(type);
        }

        if (IsCoreType(type))
        {
            if (type.Namespace == "System" && type.DeclaringType == null && PrimitiveOf(type.Name) is { } primitive)
            {
                return primitive;
            }

            var declaring = type.DeclaringType == null ? null : Map(type.DeclaringType, method);
            return new TypeReference(type.Namespace, type.Name, module, declaring == null ? module.TypeSystem.CoreLibrary : declaring.Scope, type.IsValueType)
            {
                DeclaringType = declaring,
            };
        }

        return module.ImportReference(type);
    }

    /// <summary>A primitive named as a core type (a reference assembly's own definition of <c>System.String</c>).</summary>
    TypeReference? PrimitiveOf(string name) => name switch
    {
        "Void" => module.TypeSystem.Void,
        "Boolean" => module.TypeSystem.Boolean,
        "Char" => module.TypeSystem.Char,
        "SByte" => module.TypeSystem.SByte,
        "Byte" => module.TypeSystem.Byte,
        "Int16" => module.TypeSystem.Int16,
        "UInt16" => module.TypeSystem.UInt16,
        "Int32" => module.TypeSystem.Int32,
        "UInt32" => module.TypeSystem.UInt32,
        "Int64" => module.TypeSystem.Int64,
        "UInt64" => module.TypeSystem.UInt64,
        "Single" => module.TypeSystem.Single,
        "Double" => module.TypeSystem.Double,
        "String" => module.TypeSystem.String,
        "IntPtr" => module.TypeSystem.IntPtr,
        "UIntPtr" => module.TypeSystem.UIntPtr,
        "Object" => module.TypeSystem.Object,
        "TypedReference" or "TypedByReference" => module.TypeSystem.TypedReference,
        _ => null,
    };

    static bool IsCoreType(TypeReference type)
    {
        var scope = type.Scope switch
        {
            AssemblyNameReference name => name.Name,
            ModuleDefinition definition => definition.Assembly?.Name.Name,
            _ => null,
        };
        return scope != null && CoreLibraries.Contains(scope);
    }
}
