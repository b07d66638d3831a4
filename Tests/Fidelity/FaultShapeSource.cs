using System.Collections.Generic;
using System.Text;

namespace Tests.Fidelity;

/// <summary>
/// Generates a console program in which every method shape raises each kind of runtime fault (null reference, index,
/// division, cast, overflow) in its first statement and in a later one, every method <c>[Traced]</c>. Its
/// <c>Main</c> runs each scenario and prints, per scenario, the exception type and the frames of the program
/// (method and line), so that the woven and the plain build can be compared as text. Run by hand with
/// <c>FAULT_SHAPES_IL_OFFSETS=1</c>, it also prints the IL offset the runtime gives each frame.
/// </summary>
public static class FaultShapeSource
{
    /// <summary>The kinds of runtime-raised fault, each as an <c>int</c> expression over the input <c>p</c>.</summary>
    public static readonly IReadOnlyDictionary<string, string> Faults = new Dictionary<string, string>
    {
        ["Null"] = "p.S!.Length",
        ["Index"] = "p.A[p.I]",
        ["Division"] = "p.X / p.Y",
        ["Cast"] = "((string)p.O).Length",
        ["Overflow"] = "checked(p.Big + p.X)",
    };

    /// <summary>The shapes (names of the generators below).</summary>
    public static readonly string[] ShapeNames =
    {
        "Static", "Instance", "Constructor", "Struct", "GenericMethod", "GenericType", "RefOut", "TryCatch", "Filter",
        "Async", "AsyncValueTask", "Iterator", "AsyncIterator", "Lambda", "LocalFunction",
    };

    /// <summary>The program's source.</summary>
    public static string Generate()
    {
        var members = new StringBuilder();
        var runs = new StringBuilder();
        var n = 0;
        foreach (var shape in ShapeNames)
        {
            foreach (var (kind, fault) in Faults)
            {
                foreach (var later in new[] { false, true })
                {
                    var name = $"{shape}_{kind}_{(later ? "Later" : "First")}";
                    var (member, run) = Shape(shape, name, fault, later, n++);
                    members.Append(member);
                    runs.Append($"        Run(\"{name}\", () => {run});\n");
                }
            }
        }

        return Header + "public static class Program\n{\n    public static void Main()\n    {\n" + runs +
               "    }\n\n" + RunMethod + "}\n\n" + members;
    }

    /// <summary>A member declaration (at namespace level) and the expression that runs it.</summary>
    static (string Member, string Run) Shape(string shape, string name, string fault, bool later, int n)
    {
        // A statement before the fault, on its own line, so that the fault is not in the first statement.
        var before = later ? "        Sink.Keep(p.X + 1);\n" : "";
        switch (shape)
        {
            case "Static":
                return ($"public static class {name}\n{{\n    [Traced, MethodImpl(MethodImplOptions.NoInlining)]\n    public static int M(In p)\n    {{\n{before}        return {fault};\n    }}\n}}\n\n",
                    $"{name}.M(new In())");
            case "Instance":
                return ($"public class {name}\n{{\n    int field = 1;\n    [Traced, MethodImpl(MethodImplOptions.NoInlining)]\n    public int M(In p)\n    {{\n{before}        return field + {fault};\n    }}\n}}\n\n",
                    $"new {name}().M(new In())");
            case "Constructor":
                return ($"public class {name} : FaultBase\n{{\n    public int V;\n    [Traced, MethodImpl(MethodImplOptions.NoInlining)]\n    public {name}(In p) : base(p.X)\n    {{\n{before}        V = {fault};\n    }}\n}}\n\n",
                    $"new {name}(new In()).V");
            case "Struct":
                return ($"public struct {name}\n{{\n    public int V;\n    [Traced, MethodImpl(MethodImplOptions.NoInlining)]\n    public int M(In p)\n    {{\n{before}        V = {fault};\n        return V;\n    }}\n}}\n\n",
                    $"new {name}().M(new In())");
            case "GenericMethod":
                return ($"public static class {name}\n{{\n    [Traced, MethodImpl(MethodImplOptions.NoInlining)]\n    public static T M<T>(In p, T value)\n    {{\n{before}        Sink.Keep({fault});\n        return value;\n    }}\n}}\n\n",
                    $"{name}.M(new In(), 3)");
            case "GenericType":
                return ($"public class {name}<T>\n{{\n    [Traced, MethodImpl(MethodImplOptions.NoInlining)]\n    public T M(In p, T value)\n    {{\n{before}        Sink.Keep({fault});\n        return value;\n    }}\n}}\n\n",
                    $"new {name}<string>().M(new In(), \"x\")");
            case "RefOut":
                return ($"public static class {name}\n{{\n    [Traced, MethodImpl(MethodImplOptions.NoInlining)]\n    public static void M(In p, ref int r, out int o)\n    {{\n{before}        r = {fault};\n        o = r;\n    }}\n}}\n\n",
                    $"{{ var r = 0; {name}.M(new In(), ref r, out var o); return o; }}");
            case "TryCatch":
                return ($"public static class {name}\n{{\n    [Traced, MethodImpl(MethodImplOptions.NoInlining)]\n    public static int M(In p)\n    {{\n{before}        try\n        {{\n            return {fault};\n        }}\n        catch (System.ArgumentException)\n        {{\n            return -1;\n        }}\n    }}\n}}\n\n",
                    $"{name}.M(new In())");
            case "Filter":
                return ($"public static class {name}\n{{\n    [Traced, MethodImpl(MethodImplOptions.NoInlining)]\n    public static int M(In p)\n    {{\n{before}        try\n        {{\n            return {fault};\n        }}\n        catch (System.Exception e) when (e.Message.Length == 0)\n        {{\n            return -1;\n        }}\n    }}\n}}\n\n",
                    $"{name}.M(new In())");
            case "Async":
                return ($"public static class {name}\n{{\n    [Traced, MethodImpl(MethodImplOptions.NoInlining)]\n    public static async Task<int> M(In p)\n    {{\n{(later ? "        await Task.Yield();\n" : "")}        return {fault};\n    }}\n}}\n\n",
                    $"{name}.M(new In()).GetAwaiter().GetResult()");
            case "AsyncValueTask":
                return ($"public static class {name}\n{{\n    [Traced, MethodImpl(MethodImplOptions.NoInlining)]\n    public static async ValueTask M(In p)\n    {{\n{(later ? "        await Task.Delay(1);\n" : "")}        Sink.Keep({fault});\n    }}\n}}\n\n",
                    $"{{ {name}.M(new In()).AsTask().GetAwaiter().GetResult(); return 0; }}");
            case "Iterator":
                return ($"public static class {name}\n{{\n    [Traced, MethodImpl(MethodImplOptions.NoInlining)]\n    public static IEnumerable<int> M(In p)\n    {{\n{(later ? "        yield return 1;\n" : "")}        yield return {fault};\n    }}\n}}\n\n",
                    $"{name}.M(new In()).ToList()");
            case "AsyncIterator":
                return ($"public static class {name}\n{{\n    [Traced, MethodImpl(MethodImplOptions.NoInlining)]\n    public static async IAsyncEnumerable<int> M(In p)\n    {{\n{(later ? "        await Task.Yield();\n" : "")}        yield return {fault};\n    }}\n}}\n\n",
                    $"Sink.Drain({name}.M(new In())).GetAwaiter().GetResult()");
            case "Lambda":
                return ($"public static class {name}\n{{\n    public static int M(In p)\n    {{\n        System.Func<In, int> f = [Traced, MethodImpl(MethodImplOptions.NoInlining)] (In q) =>\n        {{\n{before.Replace("p.", "q.")}            return {fault.Replace("p.", "q.")};\n        }};\n        return f(p);\n    }}\n}}\n\n",
                    $"{name}.M(new In())");
            case "LocalFunction":
                return ($"public static class {name}\n{{\n    public static int M(In p)\n    {{\n        return Local(p);\n\n        [Traced, MethodImpl(MethodImplOptions.NoInlining)]\n        static int Local(In q)\n        {{\n{before.Replace("p.", "q.")}            return {fault.Replace("p.", "q.")};\n        }}\n    }}\n}}\n\n",
                    $"{name}.M(new In())");
            default:
                throw new System.ArgumentOutOfRangeException(nameof(shape), shape, null);
        }
    }

    const string Header = """
        using System;
        using System.Collections.Generic;
        using System.Diagnostics;
        using System.Linq;
        using System.Runtime.CompilerServices;
        using System.Threading.Tasks;
        using SysdigTracers;

        public sealed class In
        {
            public int[] A = new int[1];
            public int I = 5;
            public string? S = null;
            public object O = 42;
            public int X = 1;
            public int Y = 0;
            public int Big = int.MaxValue;
        }

        public class FaultBase
        {
            public FaultBase(int x) => Sink.Keep(x);
        }

        public static class LocalNames
        {
            [Traced]
            public static string Describe(int x)
            {
                (int Count, string Name) pair = (x, "n");
                dynamic boxed = x;
                string text = pair.Name + boxed.ToString();
                return text;
            }
        }

        public static class Sink
        {
            public static int Kept;

            [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
            public static void Keep(int value) => Kept += value;

            public static async Task<int> Drain(IAsyncEnumerable<int> items)
            {
                var sum = 0;
                await foreach (var item in items)
                {
                    sum += item;
                }

                return sum;
            }
        }


        """;

    const string RunMethod = """
            static void Run(string name, Func<object?> scenario)
            {
                try
                {
                    scenario();
                    Console.WriteLine(name + " no exception");
                }
                catch (Exception e)
                {
                    var frames = new StackTrace(e, true).GetFrames()
                        .Where(f => f.GetMethod()?.DeclaringType?.Assembly == typeof(Program).Assembly)
                        .Select(f => f.GetMethod()!.DeclaringType!.Name + "." + f.GetMethod()!.Name + ":" + f.GetFileLineNumber() +
                            (Environment.GetEnvironmentVariable("FAULT_SHAPES_IL_OFFSETS") == "1" ? "@IL_" + f.GetILOffset().ToString("x4") : ""));
                    Console.WriteLine(name + " " + e.GetType().Name + " " + string.Join(" ", frames));
                }
            }

        """;
}
