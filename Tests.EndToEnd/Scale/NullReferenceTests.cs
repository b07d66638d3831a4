using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using Tests.Weaving;

namespace Tests.Scale;

/// <summary>
/// Found by the third-party harness (every script failed in woven Jint with a NullReferenceException in
/// Acornima.Parser.ParseExpression): a <c>ref</c> parameter or a <c>ref</c> return may be a null reference
/// (<c>Unsafe.NullRef&lt;T&gt;()</c>, tested with <c>Unsafe.IsNullRef</c>); woven code dereferenced it to write the
/// argument or the return value, and threw where the original did not.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class NullReferenceTests
{
    const string Source = """
        using System.Runtime.CompilerServices;

        namespace NullRefs
        {
            public struct Errors { public int Count; public override string ToString() => "errors " + Count; }

            public static class Shapes
            {
                static int stored = 7;

                public static int Read(ref Errors errors) => Unsafe.IsNullRef(ref errors) ? -1 : errors.Count;
                public static int ReadIn(in int value) => Unsafe.IsNullRef(ref Unsafe.AsRef(in value)) ? -1 : value;
                public static int ReadObject(ref string text) => Unsafe.IsNullRef(ref text) ? -1 : text.Length;
                public static int CallWithNull() => Read(ref Unsafe.NullRef<Errors>()) + ReadIn(in Unsafe.NullRef<int>()) + ReadObject(ref Unsafe.NullRef<string>());
                public static int CallWithValue() { var e = new Errors { Count = 3 }; var t = "ab"; var i = 4; return Read(ref e) + ReadIn(in i) + ReadObject(ref t); }
                public static ref int Find(bool found) { if (found) return ref stored; return ref Unsafe.NullRef<int>(); }
                public static bool Missing() => Unsafe.IsNullRef(ref Find(false));
                public static int Found() => Find(true);
            }
        }
        """;

    static readonly Lazy<Type> Woven = new(() =>
    {
        var path = SnippetCompiler.CompileToFile(Source, "ScaleNullRefs");
        var result = WeavingFixture.WeaveFile(path, "scale-nullrefs", WeavingFixture.EverythingConfig);
        Assert.That(result.Errors, Is.Empty);
        return result.Assembly.GetType("NullRefs.Shapes", throwOnError: true)!;
    });

    [TestCase("CallWithNull", -3)]
    [TestCase("CallWithValue", 9)]
    [TestCase("Missing", true)]
    [TestCase("Found", 7)]
    public void Null_references_are_never_dereferenced(string method, object expected)
    {
        IReadOnlyList<string> tracers;
        object? result;
        var shapes = Woven.Value; // weaving installs WeavingFixture's observer: before the capture
        using (var capture = SysdigTracers.TracerRecording.Start())
        {
            result = shapes.GetMethod(method)!.Invoke(null, null);
            tracers = capture.Tracers;
        }

        Assert.That(result, Is.EqualTo(expected));
        Assert.That(tracers.Count(t => t[0] == '>'), Is.EqualTo(tracers.Count(t => t[0] == '<')));
        if (method == "CallWithNull")
        {
            Assert.That(tracers, Does.Contain(">:t:NullRefs.Shapes.Read:errors=null:"));
            Assert.That(tracers, Does.Contain(">:t:NullRefs.Shapes.ReadIn:value=null:"));
            Assert.That(tracers, Does.Contain(">:t:NullRefs.Shapes.ReadObject:text=null:"));
        }
        else if (method == "CallWithValue")
        {
            Assert.That(tracers, Does.Contain(">:t:NullRefs.Shapes.Read:errors=errors 3:"));
            Assert.That(tracers, Does.Contain(">:t:NullRefs.Shapes.ReadIn:value=4:"));
        }
        else if (method == "Missing")
        {
            Assert.That(tracers, Does.Contain("<:t:NullRefs.Shapes.Find::"));
        }
        else
        {
            Assert.That(tracers, Does.Contain("<:t:NullRefs.Shapes.Find:return=7:"));
        }
    }
}
