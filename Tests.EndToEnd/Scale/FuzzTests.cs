using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using NUnit.Framework;
using SysdigTracers;
using Tests.Runtime;
using Tests.Weaving;

namespace Tests.Scale;

/// <summary>
/// Issue 6: user values full of separators, newlines, NUL, lone surrogates, or enormous, passed through woven methods
/// (arguments and return values) and through the manual API, never forge a tag or an argument and never produce a
/// tracer the reference parser rejects or one over 4096 bytes.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class FuzzTests
{
    const string Source = """
        namespace Fuzz
        {
            public sealed class Box
            {
                readonly string text;
                public Box(string text) { this.text = text; }
                public override string ToString() => text;
            }

            public static class Target
            {
                public static string Echo(string first, char second, Box third) => first;
                public static Box Wrap(string text) => new Box(text);
            }
        }
        """;

    static readonly Lazy<Type> Woven = new(() =>
    {
        var path = SnippetCompiler.CompileToFile(Source, "ScaleFuzz");
        var result = WeavingFixture.WeaveFile(path, "scale-fuzz", WeavingFixture.EverythingConfig);
        Assert.That(result.Errors, Is.Empty);
        return result.Assembly.GetType("Fuzz.Target", throwOnError: true)!;
    });

    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    [Test]
    public void Random_values_through_woven_methods()
    {
        var target = Woven.Value; // weaving installs WeavingFixture's observer: before the capture
        var echo = target.GetMethod("Echo")!;
        var wrap = target.GetMethod("Wrap")!;
        var box = target.Assembly.GetType("Fuzz.Box", throwOnError: true)!;
        var random = new Random(6006);
        var problems = new List<string>();
        var checkedTracers = 0;
        for (var i = 0; i < ScaleSettings.FuzzValues; i++)
        {
            var first = Value(random, i);
            var second = (char)random.Next(0x10000);
            var third = Activator.CreateInstance(box, Value(random, i + 1))!;
            using var capture = TracerRecording.Start();
            var returned = echo.Invoke(null, new object[] { first, second, third });
            wrap.Invoke(null, new object[] { Value(random, i + 2) });
            if (!ReferenceEquals(returned, first))
            {
                problems.Add("Echo changed its return value");
            }

            foreach (var bytes in capture.TracerBytes)
            {
                checkedTracers++;
                var problem = Check(bytes, out var parsed);
                var expectedNames = parsed == null ? null :
                    parsed.TagPath == "Fuzz.Target.Echo" ? parsed.Direction == TracerDirection.Enter ? new[] { "first", "second", "third" } : new[] { "return" } :
                    parsed.TagPath == "Fuzz.Target.Wrap" ? parsed.Direction == TracerDirection.Enter ? new[] { "text" } : new[] { "return" } :
                    parsed.TagPath == "Fuzz.Box.ctor" ? parsed.Direction == TracerDirection.Enter ? new[] { "text" } : Array.Empty<string>() :
                    parsed.TagPath == "Fuzz.Box.ToString" ? parsed.Direction == TracerDirection.Enter ? Array.Empty<string>() : new[] { "return" } : null;
                problem ??= expectedNames == null ? "forged or unknown tags: " + parsed!.TagPath :
                    !expectedNames.Take(parsed!.Args.Count).SequenceEqual(parsed.Args.Select(a => a.Key)) ? "forged arguments: " + string.Join(",", parsed.Args.Select(a => a.Key)) : null;
                if (problem != null && problems.Count < 20)
                {
                    problems.Add(problem + " in " + Encoding.UTF8.GetString(bytes));
                }
            }
        }

        Record("woven methods (arguments and return values, `ToString()` of a user type)", ScaleSettings.FuzzValues, checkedTracers, problems.Count);
        Assert.That(problems, Is.Empty, string.Join("\n", problems));
    }

    [Test]
    public void Random_values_through_the_manual_api()
    {
        var random = new Random(6007);
        var problems = new List<string>();
        var checkedTracers = 0;
        for (var i = 0; i < ScaleSettings.FuzzValues / 2; i++)
        {
            var tag = Value(random, i);
            var name = Value(random, i + 1);
            using var capture = TracerRecording.Start();
            using (var span = Tracer.Start(tag).Arg(name, Value(random, i + 2)).Arg("fixed", Value(random, i + 3)))
            {
                using (span.Child(Value(random, i + 4)))
                {
                }
            }

            foreach (var bytes in capture.TracerBytes)
            {
                checkedTracers++;
                var problem = Check(bytes, out var parsed);
                if (problem == null && parsed!.Args.Count > 2)
                {
                    problem = "more arguments than given: " + parsed.Args.Count;
                }

                if (problem == null && parsed!.Args.Count == 2 && parsed.Args[1].Key != "fixed")
                {
                    problem = "forged argument name " + parsed.Args[1].Key;
                }

                if (problem == null && parsed!.Tags.Count > tag.Count(c => c == '.') + 1 + (parsed.Direction == TracerDirection.Enter ? 64 : 64))
                {
                    problem = "more tags than written";
                }

                if (problem != null && problems.Count < 20)
                {
                    problems.Add(problem + " in " + Encoding.UTF8.GetString(bytes));
                }
            }
        }

        Record("manual API (`Tracer.Start(tag).Arg(name, value)`, child spans)", ScaleSettings.FuzzValues / 2, checkedTracers, problems.Count);
        Assert.That(problems, Is.Empty, string.Join("\n", problems));
    }

    /// <summary>Random text biased towards separators and invalid UTF-16; every 50th value enormous.</summary>
    static string Value(Random random, int i) =>
        i % 50 == 0 ? RandomText.Next(random, 20_000) + new string(':', random.Next(5000)) : RandomText.Next(random, 40);

    static string? Check(byte[] bytes, out ParsedTracer? parsed)
    {
        parsed = null;
        if (bytes.Length > 4096)
        {
            return "longer than 4096 bytes: " + bytes.Length;
        }

        try
        {
            StrictUtf8.GetString(bytes);
        }
        catch (ArgumentException)
        {
            return "invalid UTF-8";
        }

        parsed = ReferenceTracerParser.Parse(bytes);
        if (parsed.Status != TracerParseStatus.Complete)
        {
            return parsed.Status + " " + parsed.Reason;
        }

        return parsed.Length != bytes.Length ? "bytes after the closing ':'" : null;
    }

    static readonly Dictionary<string, string> Rows = new();

    static void Record(string what, int values, int tracers, int problems)
    {
        lock (Rows)
        {
            Rows[what] = $"| {what} | {values} | {tracers} | {problems} |";
            ScaleReport.Add("50 fuzz", "## Fuzz: random user values, parsed back with the reference parser\n\n" +
                "Values mix tracer separators (`. : , = \\ < >`), newlines, NUL, control characters, lone surrogates and astral " +
                "characters; every 50th is enormous (up to 25,000 characters). A problem is a tracer over 4096 bytes, invalid " +
                "UTF-8, one the parser does not read as complete, bytes after its closing `:`, an unexpected tag, or an argument " +
                "name that was not written.\n\n| path | values | tracers checked | problems |\n|---|---|---|---|\n" +
                string.Join("\n", Rows.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => r.Value)) + "\n");
        }
    }
}
