using System;
using System.Collections.Generic;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace SysdigTracers.Fody.Weaving;

/// <summary>One enter argument: its declared type (as the emitting method sees it) and the code that loads it.</summary>
internal sealed class EnterArgument
{
    /// <summary>Creates the argument.</summary>
    /// <param name="type">The value's type.</param>
    /// <param name="load">Instructions that push the value.</param>
    /// <param name="loadReference">
    /// For a value read through a reference (a <c>ref</c>/<c>in</c> parameter): instructions that push the reference
    /// itself. A null reference (<c>Unsafe.NullRef</c>) is then written as <c>null</c> and never dereferenced.
    /// </param>
    /// <param name="redacted">Whether the value is written as <c>&lt;redacted&gt;</c>: then it is never loaded.</param>
    public EnterArgument(
        TypeReference type,
        Func<IEnumerable<Instruction>> load,
        Func<IEnumerable<Instruction>>? loadReference = null,
        bool redacted = false)
    {
        Redacted = redacted;
        Type = type;
        Load = load;
        LoadReference = loadReference;
    }

    /// <summary>Instructions that push the reference the value is read through, or null for a value.</summary>
    public Func<IEnumerable<Instruction>>? LoadReference { get; }

    /// <summary>The value's type, the <c>T</c> of <c>TracerArgs.Add&lt;T&gt;</c>.</summary>
    public TypeReference Type { get; }

    /// <summary>Instructions that push the value.</summary>
    public Func<IEnumerable<Instruction>> Load { get; }

    /// <summary>Whether the value is written as <c>&lt;redacted&gt;</c> instead of loaded.</summary>
    public bool Redacted { get; }
}

/// <summary>The enter tracer with arguments, the same for plain methods and state machines.</summary>
internal static class TracerArgsCode
{
    /// <summary>
    /// With the tracer and <paramref name="beginEnter"/>'s arguments on the stack:
    /// <c>var a = tracer.BeginEnter(...); a.Add(arg)...; a.Write();</c>, with <c>a</c> a new <c>TracerArgs</c> local of
    /// <paramref name="body"/>.
    /// </summary>
    public static IEnumerable<Instruction> BeginEnter(
        MethodBody body,
        RuntimeReferences references,
        IReadOnlyList<EnterArgument> arguments,
        MethodReference beginEnter)
    {
        var args = BodyEditing.AddLocal(body, references.TracerArgsType);
        yield return Instruction.Create(OpCodes.Callvirt, beginEnter);
        yield return Instruction.Create(OpCodes.Stloc, args);
        foreach (var argument in arguments)
        {
            if (argument.Redacted)
            {
                yield return Instruction.Create(OpCodes.Ldloca, args);
                yield return Instruction.Create(OpCodes.Call, references.TracerArgsAddRedacted);
                continue;
            }

            Instruction? added = null;
            if (argument.LoadReference != null)
            {
                // if (ref == null) a.Add<object>(null); else a.Add(ref value);
                var notNull = Instruction.Create(OpCodes.Ldloca, args);
                added = Instruction.Create(OpCodes.Nop);
                foreach (var instruction in argument.LoadReference())
                {
                    yield return instruction;
                }

                yield return Instruction.Create(OpCodes.Brtrue, notNull);
                yield return Instruction.Create(OpCodes.Ldloca, args);
                yield return Instruction.Create(OpCodes.Ldnull);
                yield return Instruction.Create(OpCodes.Call, BodyEditing.Generic(references.TracerArgsAdd, body.Method.Module.TypeSystem.Object));
                yield return Instruction.Create(OpCodes.Br, added);
                yield return notNull;
            }
            else
            {
                yield return Instruction.Create(OpCodes.Ldloca, args);
            }

            foreach (var instruction in argument.Load())
            {
                yield return instruction;
            }

            yield return Instruction.Create(OpCodes.Call, BodyEditing.Generic(references.TracerArgsAdd, argument.Type));
            if (added != null)
            {
                yield return added;
            }
        }

        yield return Instruction.Create(OpCodes.Ldloca, args);
        yield return Instruction.Create(OpCodes.Call, references.TracerArgsWrite);
    }
}
