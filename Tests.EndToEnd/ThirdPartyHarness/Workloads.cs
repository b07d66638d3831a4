using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Threading;

namespace ThirdPartyHarness;

/// <summary>
/// Entry point of the workload: runs every item of a corpus against one copy of a library and describes what
/// happened, one string per item (results, or exception type and message, of each operation applied to the item).
/// </summary>
/// <remarks>
/// Called by reflection from a test that loaded this assembly into an <c>AssemblyLoadContext</c> holding either the
/// woven or the unwoven copies of the libraries: only <see cref="string"/> crosses the boundary. The corpus runs on
/// one dedicated thread with a large stack, so that deep-recursion items end in the libraries' own depth checks, never
/// in a stack overflow of the host, whichever copy (woven frames are larger) runs them.
/// </remarks>
public static class Workloads
{
    const int StackSize = 256 * 1024 * 1024;

    /// <summary>How long each item of the last <see cref="Run"/> took, in milliseconds.</summary>
    public static double[] Milliseconds { get; private set; } = Array.Empty<double>();

    /// <summary>Runs <paramref name="items"/> through the workload of <paramref name="library"/> (json, yaml or js).</summary>
    public static string[] Run(string library, string[] items)
    {
        Func<string, string> workload = library switch
        {
            "json" => JsonWorkload.Run,
            "yaml" => YamlWorkload.Run,
            "js" => JsWorkload.Run,
            _ => throw new ArgumentException("unknown library " + library, nameof(library)),
        };

        var results = new string[items.Length];
        Milliseconds = new double[items.Length];
        Exception? crash = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
                    CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
                    for (var i = 0; i < items.Length; i++)
                    {
                        var started = System.Diagnostics.Stopwatch.GetTimestamp();
                        results[i] = workload(items[i]);
                        Milliseconds[i] = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    }
                }
                catch (Exception e)
                {
                    crash = e;
                }
            },
            StackSize);
        thread.Start();
        thread.Join();
        if (crash != null)
        {
            throw new InvalidOperationException("the workload itself failed", crash);
        }

        return results;
    }

    /// <summary>Runs one operation and appends its outcome: the result, or the exception chain.</summary>
    internal static void Step(StringBuilder report, string name, Func<string> operation)
    {
        report.Append('[').Append(name).Append("] ");
        try
        {
            report.Append(operation());
        }
        catch (Exception e)
        {
            report.Append(Describe(e));
        }

        report.Append('\n');
    }

    /// <summary>Exception type and message, inner exceptions included.</summary>
    internal static string Describe(Exception exception)
    {
        var text = new StringBuilder();
        for (Exception? e = exception; e != null; e = e.InnerException)
        {
            text.Append(e == exception ? "!" : " <- ").Append(e.GetType().FullName).Append(": ").Append(e.Message);
            if (e is AggregateException aggregate && aggregate.InnerExceptions.Count > 1)
            {
                text.Append(" (").Append(aggregate.InnerExceptions.Count).Append(" inner)");
            }
        }

        return text.ToString();
    }

    /// <summary>Caps a result so that one huge output does not dominate the comparison report.</summary>
    internal static string Cap(string text, int max = 20000) =>
        text.Length <= max ? text : text.Substring(0, max) + "...(" + text.Length.ToString(CultureInfo.InvariantCulture) + " chars)";
}
