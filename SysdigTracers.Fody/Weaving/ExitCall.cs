using System;
using System.Collections.Generic;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace SysdigTracers.Fody.Weaving;

/// <summary>
/// An end-of-call method pair, as the exit code of a synchronous method that writes its return value calls it: the
/// receiver and leading arguments, then the exception (and, for the return variant, the value), both sinks at once
/// (<c>ref</c> returns included: after an exception, or for a null reference, the variant without the value).
/// </summary>
internal sealed class ExitCall
{
    /// <summary>Creates the pair.</summary>
    /// <param name="load">Pushes what precedes the exception for <paramref name="exit"/>.</param>
    /// <param name="exit">Called with the exception only.</param>
    /// <param name="loadForReturn">Pushes what precedes the exception for <paramref name="exitWithReturn"/>.</param>
    /// <param name="exitWithReturn">Called with the exception and the value; generic over the value, open.</param>
    public ExitCall(
        Func<IEnumerable<Instruction>> load,
        MethodReference exit,
        Func<IEnumerable<Instruction>> loadForReturn,
        MethodReference exitWithReturn)
    {
        Load = load;
        Exit = exit;
        LoadForReturn = loadForReturn;
        ExitWithReturn = exitWithReturn;
    }

    /// <summary>Pushes what precedes the exception for <see cref="Exit"/>.</summary>
    public Func<IEnumerable<Instruction>> Load { get; }

    /// <summary>The end without a value.</summary>
    public MethodReference Exit { get; }

    /// <summary>Pushes what precedes the exception for <see cref="ExitWithReturn"/>.</summary>
    public Func<IEnumerable<Instruction>> LoadForReturn { get; }

    /// <summary>The end with a value, open.</summary>
    public MethodReference ExitWithReturn { get; }

    /// <summary>
    /// Both sinks in one call, for the exits that carry a value (formatted once for both):
    /// <c>F.Exit(0, on, act, ex)</c> and <c>F.ExitWithReturn(0, on, act, ex, value)</c>.
    /// </summary>
    public static ExitCall Combined(ActivityReferences references, FieldReference tracer, VariableDefinition on, VariableDefinition activity)
    {
        IEnumerable<Instruction> Load() => new[]
        {
            Instruction.Create(OpCodes.Ldsfld, tracer),
            Instruction.Create(OpCodes.Ldc_I4_0),
            Instruction.Create(OpCodes.Conv_I8),
            Instruction.Create(OpCodes.Ldloc, on),
            Instruction.Create(OpCodes.Ldloc, activity),
        };
        return new ExitCall(Load, references.ExitBoth, Load, references.ExitBothWithReturn);
    }
}
