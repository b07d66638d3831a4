using System;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using NUnit.Framework;

namespace Tests.Async;

/// <summary>Forces the JIT over every method of the shapes, state machines included (there is no IL verifier on Linux).</summary>
public static class StateMachineCompilation
{
    const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance |
                                  BindingFlags.DeclaredOnly;

    /// <summary>Prepares every method of the shapes' types (generic ones over int and object); returns how many MoveNext.</summary>
    public static int PrepareAll(Assembly assembly)
    {
        var moveNexts = 0;
        var types = assembly.GetTypes().Where(t => t.FullName!.StartsWith(AsyncFixture.Namespace + ".", StringComparison.Ordinal)).ToList();
        Assert.That(types.Any(t => t.GetField("<>sysdig_span", Declared) != null), "the state machines are woven");
        foreach (var type in types)
        {
            foreach (var closed in Instantiations(type))
            {
                foreach (var method in closed.GetMethods(Declared).Cast<MethodBase>().Concat(closed.GetConstructors(Declared)))
                {
                    if (method.IsAbstract || method.GetMethodBody() == null)
                    {
                        continue;
                    }

                    foreach (var prepared in Instantiations(method))
                    {
                        // The instantiation: the type's generic arguments, then the method's.
                        var instantiation = (closed.IsGenericType ? closed.GetGenericArguments() : Type.EmptyTypes)
                            .Concat(prepared.IsGenericMethod ? prepared.GetGenericArguments() : Type.EmptyTypes)
                            .Select(a => a.TypeHandle)
                            .ToArray();
                        RuntimeHelpers.PrepareMethod(prepared.MethodHandle, instantiation.Length == 0 ? null : instantiation);
                        if (method.Name.EndsWith("MoveNext", StringComparison.Ordinal) && type.GetField("<>sysdig_span", Declared) != null)
                        {
                            moveNexts++;
                        }
                    }
                }
            }
        }

        return moveNexts;
    }

    static Type[] Instantiations(Type type)
    {
        if (!type.IsGenericTypeDefinition)
        {
            return new[] { type };
        }

        var count = type.GetGenericArguments().Length;
        return new[] { typeof(int), typeof(object) }
            .Select(a => TryMake(() => type.MakeGenericType(Enumerable.Repeat(a, count).ToArray())))
            .Where(t => t != null)
            .ToArray()!;
    }

    static MethodBase[] Instantiations(MethodBase method)
    {
        if (method is not MethodInfo { IsGenericMethodDefinition: true } info)
        {
            return new[] { method };
        }

        var count = info.GetGenericArguments().Length;
        return new[] { typeof(int), typeof(object) }
            .Select(a => TryMake(() => info.MakeGenericMethod(Enumerable.Repeat(a, count).ToArray())))
            .Where(m => m != null)
            .ToArray()!;
    }

    static T? TryMake<T>(Func<T> make)
        where T : class
    {
        try
        {
            return make();
        }
        catch (ArgumentException)
        {
            // Constraints the argument does not meet (the custom builder's TStateMachine : IAsyncStateMachine).
            return null;
        }
    }
}
