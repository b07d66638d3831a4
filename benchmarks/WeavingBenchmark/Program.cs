using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml.Linq;
using Basic.Reference.Assemblies;
using Fody;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;
using SysdigTracers.Fody;

namespace WeavingBenchmark;

/// <summary>
/// Generates (with Roslyn) an assembly of 10,000 methods of mixed shapes, all selected by a namespace rule with
/// arguments and return values, and weaves it several times. Reports the time of <c>ModuleWeaver.Execute</c>
/// alone and of a whole weave as Fody does it per build (read with symbols, execute, write with symbols).
/// </summary>
public static class Program
{
    const int Classes = 100;
    const int MethodsPerClass = 100;
    const int DefaultRuns = 7;

    /// <summary>Optional argument: the number of measured runs (default 7).</summary>
    public static int Main(string[] args)
    {
        var runs = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : DefaultRuns;
        var directory = Path.Combine(AppContext.BaseDirectory, "generated");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "Generated.dll");
        var compile = Stopwatch.StartNew();
        Generate(path);
        Console.WriteLine($"Generated {Classes * MethodsPerClass:N0} methods in {compile.Elapsed.TotalSeconds:F1} s (not part of the measurement).");

        var config = XElement.Parse("<SysdigTracers IncludeNamespaces='Bench*' Arguments='true' ReturnValue='true' />");
        var executeTimes = new double[runs];
        var totalTimes = new double[runs];
        var cpuTimes = new double[runs];
        var allocated = new double[runs];
        var readTimes = new double[runs];
        var writeTimes = new double[runs];
        for (var run = 0; run < runs + 1; run++)
        {
            var weaver = new ModuleWeaver { Config = config };
            var execute = new Stopwatch();
            var executeCpu = TimeSpan.Zero;
            var executeBytes = 0L;
            var read = TimeSpan.Zero;
            var afterExecute = TimeSpan.Zero;
            var total = Stopwatch.StartNew();
            var result = weaver.ExecuteTestRun(
                path,
                runPeVerify: false,
                beforeExecuteCallback: _ =>
                {
                    read = total.Elapsed;
                    executeCpu = Process.GetCurrentProcess().TotalProcessorTime;
                    executeBytes = GC.GetAllocatedBytesForCurrentThread();
                    execute.Start();
                },
                afterExecuteCallback: _ =>
                {
                    execute.Stop();
                    executeBytes = GC.GetAllocatedBytesForCurrentThread() - executeBytes;
                    executeCpu = Process.GetCurrentProcess().TotalProcessorTime - executeCpu;
                    afterExecute = total.Elapsed;
                },
                writeSymbols: true,
                folderName: "run" + run);
            total.Stop();
            if (result.Errors.Count > 0)
            {
                Console.Error.WriteLine(string.Join(Environment.NewLine, result.Errors.Select(e => e.Text)));
                return 1;
            }

            // The first run pays the JIT of the weaver and Cecil: reported, not counted.
            if (run == 0)
            {
                Console.WriteLine($"Warm-up: execute {execute.Elapsed.TotalMilliseconds:F0} ms, whole weave {total.Elapsed.TotalMilliseconds:F0} ms");
                continue;
            }

            executeTimes[run - 1] = execute.Elapsed.TotalMilliseconds;
            cpuTimes[run - 1] = executeCpu.TotalMilliseconds;
            allocated[run - 1] = executeBytes / 1048576.0;
            readTimes[run - 1] = read.TotalMilliseconds;
            writeTimes[run - 1] = (total.Elapsed - afterExecute).TotalMilliseconds;
            totalTimes[run - 1] = total.Elapsed.TotalMilliseconds;
        }

        Report("ModuleWeaver.Execute, 10,000 methods", executeTimes);
        Report("ModuleWeaver.Execute, process CPU time", cpuTimes);
        Console.WriteLine($"ModuleWeaver.Execute, allocated: {allocated[0]:F0} MB (independent of the machine's load)");
        Report("Read module with symbols (Cecil)", readTimes);
        Report("Write module with symbols + load (Cecil)", writeTimes);
        Report("Whole weave (read + execute + write, symbols, load)", totalTimes);
        return 0;
    }

    static void Report(string what, double[] times)
    {
        Array.Sort(times);
        Console.WriteLine($"{what}: median {times[times.Length / 2]:F0} ms (min {times[0]:F0}, max {times[times.Length - 1]:F0})");
    }

    static void Generate(string path)
    {
        var source = new StringBuilder("using System; using System.Collections.Generic;\n");
        for (var c = 0; c < Classes; c++)
        {
            source.Append($"namespace Bench.Area{c % 10} {{ public class Service{c} {{\n");
            source.Append($"  int state; public Service{c}(int s) {{ state = s; }}\n");
            for (var m = 0; m < MethodsPerClass; m++)
            {
                source.Append((m % 5) switch
                {
                    0 => $"  public int M{m}(int a, string b) {{ if (a > {m}) return a + b.Length; return state - a; }}\n",
                    1 => $"  public void M{m}(ref int a) {{ try {{ a += state; }} catch (InvalidOperationException) {{ a = -1; }} finally {{ state++; }} }}\n",
                    2 => $"  public static T M{m}<T>(T value, List<T> list) where T : IComparable<T> {{ list.Add(value); return value; }}\n",
                    3 => $"  public string M{m}(int a) {{ switch (a) {{ case 0: return \"zero\"; case 1: return \"one\"; default: throw new ArgumentException(\"a\"); }} }}\n",
                    _ => $"  public static long M{m}(long x, double y, bool z) => z ? x + (long)y : x * 2;\n",
                });
            }

            source.Append("} }\n");
        }

        var compilation = CSharpCompilation.Create(
            "Generated",
            new[] { CSharpSyntaxTree.ParseText(source.ToString(), path: "Generated.cs", encoding: Encoding.UTF8) },
            Net100.References.All.Concat(new[] { MetadataReference.CreateFromFile(typeof(SysdigTracers.TracedAttribute).Assembly.Location) }),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release));
        using var pe = File.Create(path);
        using var pdb = File.Create(Path.ChangeExtension(path, ".pdb"));
        var emitted = compilation.Emit(pe, pdb, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb));
        if (!emitted.Success)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, emitted.Diagnostics));
        }
    }
}
