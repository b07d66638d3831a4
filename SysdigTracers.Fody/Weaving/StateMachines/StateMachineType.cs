using System;
using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace SysdigTracers.Fody.Weaving.StateMachines;

/// <summary>
/// The compiler-generated state machine type of an async method or iterator, with what the weaver adds to it:
/// public fields (the kickoff method, in the enclosing type, writes some of them) and private helper methods. Members of a
/// generic state machine are referenced through its instance over its own generic parameters.
/// </summary>
internal sealed class StateMachineType
{
    /// <summary>The constructor of <c>CompilerGeneratedAttribute</c>, put on the helper methods.</summary>
    MethodReference CompilerGenerated { get; }

    /// <summary>Prefix of every member the weaver adds; <c>&lt;&gt;</c> keeps it out of reach of C# code.</summary>
    public const string MemberPrefix = "<>sysdig_";

    StateMachineType(MethodDefinition kickoff, TypeDefinition definition, MethodReference compilerGenerated)
    {
        CompilerGenerated = compilerGenerated;
        KickoffMethod = kickoff;
        Definition = definition;
        Self = SelfReference(definition);
    }

    /// <summary>The user's method, which creates and starts the state machine.</summary>
    public MethodDefinition KickoffMethod { get; }

    /// <summary>The state machine type.</summary>
    public TypeDefinition Definition { get; }

    /// <summary>The type as its own methods see it (a generic instance over its own parameters when generic).</summary>
    public TypeReference Self { get; }

    /// <summary>
    /// The state machine named by the kickoff method's <paramref name="attributeName"/> attribute, or null when it is missing,
    /// not in this module, or its generic parameters are not the kickoff method's type's followed by the kickoff method's.
    /// </summary>
    public static StateMachineType? Find(MethodDefinition kickoff, string attributeName, MethodReference compilerGenerated)
    {
        var attribute = kickoff.CustomAttributes.FirstOrDefault(a => a.AttributeType.FullName == attributeName);
        if (attribute is not { HasConstructorArguments: true } ||
            attribute.ConstructorArguments[0].Value is not TypeReference reference)
        {
            return null;
        }

        var definition = reference.Resolve();
        if (definition == null || definition.Module != kickoff.Module)
        {
            return null;
        }

        var expected = kickoff.DeclaringType.GenericParameters.Count + kickoff.GenericParameters.Count;
        return definition.GenericParameters.Count == expected ? new StateMachineType(kickoff, definition, compilerGenerated) : null;
    }

    /// <summary>The field the compiler generated with this name, or null.</summary>
    public FieldDefinition? Field(string name) => Definition.Fields.FirstOrDefault(f => f.Name == name);

    /// <summary>The method that implements <paramref name="interfaceMethod"/> (by override or by name), or null.</summary>
    public MethodDefinition? Implementation(string interfaceTypeName, string interfaceMethod)
    {
        foreach (var method in Definition.Methods)
        {
            if (method.Overrides.Any(o => o.Name == interfaceMethod && o.DeclaringType.GetElementType().FullName == interfaceTypeName))
            {
                return method;
            }
        }

        return Definition.Methods.FirstOrDefault(m =>
            m.HasBody && (m.Name == interfaceMethod || m.Name == interfaceTypeName + "." + interfaceMethod));
    }

    /// <summary>Adds a public instance field (public: the kickoff method in the enclosing type writes it).</summary>
    public FieldDefinition AddField(string name, TypeReference type)
    {
        var field = new FieldDefinition(MemberPrefix + name, FieldAttributes.Public, type);
        Definition.Fields.Add(field);
        return field;
    }

    /// <summary>Adds a private instance method with a body to fill; returns it with its IL processor.</summary>
    public MethodDefinition AddMethod(string name, TypeReference returnType, params (string Name, TypeReference Type)[] parameters)
    {
        var method = new MethodDefinition(MemberPrefix + name, MethodAttributes.Private | MethodAttributes.HideBySig, returnType);
        foreach (var (parameterName, type) in parameters)
        {
            method.Parameters.Add(new ParameterDefinition(parameterName, ParameterAttributes.None, type));
        }

        method.Body.InitLocals = true;
        method.CustomAttributes.Add(new CustomAttribute(CompilerGenerated));

        Definition.Methods.Add(method);
        return method;
    }

    /// <summary>A reference to <paramref name="field"/> as the state machine's own methods use it.</summary>
    public FieldReference OnSelf(FieldDefinition field) => On(field, Self);

    /// <summary>A reference to <paramref name="field"/> on <paramref name="instance"/> (for example the kickoff method's instantiation).</summary>
    public static FieldReference On(FieldDefinition field, TypeReference instance) =>
        instance is GenericInstanceType ? new FieldReference(field.Name, field.FieldType, instance) : field;

    /// <summary>A reference to <paramref name="method"/> as the state machine's own methods call it.</summary>
    public MethodReference OnSelf(MethodDefinition method)
    {
        if (Self is not GenericInstanceType)
        {
            return method;
        }

        var reference = new MethodReference(method.Name, method.ReturnType, Self)
        {
            HasThis = method.HasThis,
            ExplicitThis = method.ExplicitThis,
            CallingConvention = method.CallingConvention,
        };
        foreach (var parameter in method.Parameters)
        {
            reference.Parameters.Add(new ParameterDefinition(parameter.ParameterType));
        }

        return reference;
    }

    /// <summary>Instructions that load the state machine's <c>this</c> field <paramref name="field"/>.</summary>
    public IEnumerable<Instruction> LoadOwnField(FieldDefinition field)
    {
        yield return Instruction.Create(OpCodes.Ldarg_0);
        yield return Instruction.Create(OpCodes.Ldfld, OnSelf(field));
    }

    /// <summary>
    /// Translates a type as the kickoff method declares it (its type's and its own generic parameters) into the state
    /// machine's terms (its own generic parameters, the type's first, then the method's).
    /// </summary>
    public TypeReference FromKickoff(TypeReference type)
    {
        switch (type)
        {
            case GenericParameter parameter when parameter.Type == GenericParameterType.Type:
                return Definition.GenericParameters[parameter.Position];
            case GenericParameter parameter:
                return Definition.GenericParameters[KickoffMethod.DeclaringType.GenericParameters.Count + parameter.Position];
            case GenericInstanceType instance:
            {
                var mapped = new GenericInstanceType(instance.ElementType);
                foreach (var argument in instance.GenericArguments)
                {
                    mapped.GenericArguments.Add(FromKickoff(argument));
                }

                return mapped;
            }

            case ArrayType array:
            {
                var mapped = new ArrayType(FromKickoff(array.ElementType));
                mapped.Dimensions.Clear();
                foreach (var dimension in array.Dimensions)
                {
                    mapped.Dimensions.Add(dimension);
                }

                return mapped;
            }

            case RequiredModifierType modifier:
                return new RequiredModifierType(modifier.ModifierType, FromKickoff(modifier.ElementType));
            case OptionalModifierType modifier:
                return new OptionalModifierType(modifier.ModifierType, FromKickoff(modifier.ElementType));
            case ByReferenceType byReference:
                return new ByReferenceType(FromKickoff(byReference.ElementType));
            case PointerType pointer:
                return new PointerType(FromKickoff(pointer.ElementType));
            default:
                return type;
        }
    }

    static TypeReference SelfReference(TypeDefinition type)
    {
        if (!type.HasGenericParameters)
        {
            return type;
        }

        var instance = new GenericInstanceType(type);
        foreach (var parameter in type.GenericParameters)
        {
            instance.GenericArguments.Add(parameter);
        }

        return instance;
    }

    /// <summary>The single instruction in <paramref name="method"/> that matches, or null when there are none or several.</summary>
    public static Instruction? Single(MethodDefinition method, Func<Instruction, bool> predicate)
    {
        Instruction? found = null;
        foreach (var instruction in method.Body.Instructions)
        {
            if (!predicate(instruction))
            {
                continue;
            }

            if (found != null)
            {
                return null;
            }

            found = instruction;
        }

        return found;
    }

    /// <summary>Whether <paramref name="instruction"/> accesses <paramref name="field"/> (on any instantiation).</summary>
    public static bool Accesses(Instruction instruction, FieldDefinition field, params OpCode[] opCodes) =>
        opCodes.Contains(instruction.OpCode) &&
        instruction.Operand is FieldReference reference &&
        reference.Name == field.Name &&
        reference.DeclaringType.GetElementType().FullName == field.DeclaringType.FullName;
}
