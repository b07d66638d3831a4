using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using NUnit.Framework;

namespace Tests.Weaving;

/// <summary>
/// Calls every shape of AssemblyToProcess woven (main configuration) and unwoven: the woven copy writes exactly
/// the expected tracers, and results, out values, exceptions and exception line numbers are identical.
/// </summary>
public class ShapeTests
{
    [TestCaseSource(typeof(ShapeCases), nameof(ShapeCases.All))]
    public void BehavesAsUnwovenAndWritesTracers(Func<Target, object?> call, string[] expectedTracers)
    {
        var woven = new Target(WeavingFixture.Main.Assembly);
        var unwoven = new Target(WeavingFixture.Unwoven);

        var original = WeavingFixture.Observe(() => call(unwoven));
        var actual = WeavingFixture.Observe(() => call(woven));

        TestContext.Out.WriteLine("tracers: " + string.Join(Environment.NewLine + "         ", actual.Tracers));
        Assert.Multiple(() =>
        {
            Assert.That(original.Tracers, Is.Empty, "the unwoven assembly writes no tracers");
            Assert.That(actual.Tracers, Is.EqualTo(expectedTracers), "tracers");
            Assert.That(actual.Result, Is.EqualTo(original.Result), "result");
            Assert.That(actual.Exception?.GetType().FullName, Is.EqualTo(original.Exception?.GetType().FullName), "exception type");
            Assert.That(actual.Exception?.Message, Is.EqualTo(original.Exception?.Message), "exception message");
            Assert.That(actual.ExceptionFrames, Is.EqualTo(original.ExceptionFrames), "exception stack trace (methods and lines)");
        });
        if (original.Exception != null)
        {
            Assert.That(original.ExceptionFrames.All(f => !f.EndsWith(":0", StringComparison.Ordinal)), "the unwoven stack trace has line numbers");
        }
    }

    [Test]
    public void EveryWovenMethodCompiles()
    {
        var holder = WeavingFixture.Main.Assembly.GetType("<SysdigTracers>MethodTracers", throwOnError: true)!;
        var compiled = 0;
        foreach (var type in WeavingFixture.Main.Assembly.GetTypes())
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                         .Cast<MethodBase>()
                         .Concat(type.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance)))
            {
                if (method.IsAbstract || method.GetMethodBody() == null || method.ContainsGenericParameters)
                {
                    continue;
                }

                RuntimeHelpers.PrepareMethod(method.MethodHandle);
                compiled++;
            }
        }

        Assert.That(holder.GetFields(BindingFlags.Static | BindingFlags.NonPublic), Is.Not.Empty);
        Assert.That(compiled, Is.GreaterThan(100));
    }

    [Test]
    public void WovenGenericMethodsCompileForValueAndReferenceTypes()
    {
        var assembly = WeavingFixture.Main.Assembly;
        var generic = new List<(MethodBase Method, Type[] TypeArguments)>();
        var methods = assembly.GetType("AssemblyToProcess.Shapes.GenericMethods")!;
        RuntimeHelpers.PrepareMethod(methods.GetMethod("Echo")!.MakeGenericMethod(typeof(long)).MethodHandle);
        RuntimeHelpers.PrepareMethod(methods.GetMethod("Echo")!.MakeGenericMethod(typeof(object)).MethodHandle);
        RuntimeHelpers.PrepareMethod(methods.GetMethod("Max")!.MakeGenericMethod(typeof(DateTime)).MethodHandle);
        var pair = assembly.GetType("AssemblyToProcess.Shapes.Pair`2")!.MakeGenericType(typeof(Guid), typeof(object));
        foreach (var method in pair.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.DeclaredOnly))
        {
            RuntimeHelpers.PrepareMethod(method.MethodHandle, new[] { typeof(Guid).TypeHandle, typeof(object).TypeHandle });
        }

        Assert.Pass();
    }

    [Test]
    public void AsyncMethodsAndIteratorsAreWovenWithoutWarnings()
    {
        // Woven since issue 4 (Tests/Async covers what they write).
        Assert.That(WeavingFixture.Main.Warnings.Select(w => w.Text), Is.Empty);
        Assert.That(WeavingFixture.Main.Errors, Is.Empty);
    }
}
