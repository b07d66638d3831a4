using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using NUnit.Framework;

namespace Tests.Weaving;

/// <summary>
/// samples/SampleApp is woven by real MSBuild + Fody (in-solution weaving) when the solution builds; this runs the
/// built program with the tracer echo on and checks its whole output.
/// </summary>
public class SampleAppTests
{
    const string Expected = @"SysdigTracers sample: every line starting with > or < is a tracer.

# [Traced(Arguments = true, ReturnValue = true)] on a class
>:t:SampleApp.Orders.OrderService.Place:item=book,quantity=2:
>:t:SampleApp.Orders.OrderService.Price:item=book:
<:t:SampleApp.Orders.OrderService.Price:return=12.5:
<:t:SampleApp.Orders.OrderService.Place:return=25.0:
  placed, total 25.0

# selected by IncludeNamespaces=""SampleApp.Billing*"" in FodyWeavers.xml
>:t:SampleApp.Billing.InvoiceCalculator.Invoice:net=25.0:
>:t:SampleApp.Billing.InvoiceCalculator.Tax:net=25.0:
<:t:SampleApp.Billing.InvoiceCalculator.Tax:return=5.00:
<:t:SampleApp.Billing.InvoiceCalculator.Invoice:return=30.00:
  invoiced 30.00

# an exception: the exit tracer names it, the exception is unchanged
>:t:SampleApp.Orders.OrderService.Place:item=unicorn,quantity=1:
>:t:SampleApp.Orders.OrderService.Price:item=unicorn:
<:t:SampleApp.Orders.OrderService.Price:exception=System.InvalidOperationException:
<:t:SampleApp.Orders.OrderService.Place:exception=System.InvalidOperationException:
  caught: no such item: unicorn

# a custom tag
>:t:orders.ship::
<:t:orders.ship::

# an async method: one span until its task completes, with a fresh numeric id
>:{id}:SampleApp.Shipping.ShippingPlanner.DaysToDeliverAsync::
<:{id}:SampleApp.Shipping.ShippingPlanner.DaysToDeliverAsync:return=2:
  delivery in 2 day(s)

# a manual span with enter and exit args and a child span (the Tracer API)
>:t:sample.report:format=pdf:
>:t:sample.report.render::
<:t:sample.report.render::
<:t:sample.report:pages=3:
";

    [Test]
    public void WovenSampleWritesItsTracers()
    {
        var (exitCode, output) = RunSample(echo: "stdout");
        Assert.That(exitCode, Is.EqualTo(0));
        var asyncId = Regex.Match(output, @"^>:([1-9][0-9]*):SampleApp\.Shipping\.", RegexOptions.Multiline);
        Assert.That(asyncId.Success, "the async method's enter carries a positive numeric id:\n" + output);
        var expected = Expected.Replace("{id}", asyncId.Groups[1].Value);
        Assert.That(output.Replace("\r\n", "\n"), Is.EqualTo(expected.Replace("\r\n", "\n")));
    }

    [Test]
    public void WithoutTheEchoNoTracerIsPrinted()
    {
        var (exitCode, output) = RunSample(echo: null);
        Assert.That(exitCode, Is.EqualTo(0));
        Assert.That(output, Does.Not.Contain(">:t:"));
        Assert.That(output, Does.Contain("caught: no such item: unicorn"));
    }

    [Test]
    public void TheBuiltSampleReferencesEachAssemblyOnceThroughItsOwnFramework()
    {
        // Hot Reload refuses every edit (CS7038) of a module that references an assembly in two versions: the woven
        // code must reach System.Exception through the app's System.Runtime, not the runtime library's net8.0 one.
        using var pe = new System.Reflection.PortableExecutable.PEReader(File.OpenRead(SampleDll()));
        var metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
        var references = metadata.AssemblyReferences.Select(h => metadata.GetAssemblyReference(h).GetAssemblyName()).ToList();
        Assert.That(references.Select(r => r.Name), Is.Unique);
        Assert.That(references.Select(r => r.Name), Does.Contain("SysdigTracers").And.Not.Contain("System.Private.CoreLib").And.Not.Contain("netstandard"));
        Assert.That(references.Where(r => r.Name!.StartsWith("System.", System.StringComparison.Ordinal)).Select(r => r.Version!.Major), Is.All.EqualTo(System.Environment.Version.Major));
    }

    static string SampleDll()
    {
        var testDirectory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        var configuration = testDirectory.Parent!.Name;
        var root = testDirectory;
        while (!File.Exists(Path.Combine(root!.FullName, "SysdigTracers.sln")))
        {
            root = root.Parent;
        }

        var dll = Path.Combine(root.FullName, "samples", "SampleApp", "bin", configuration, "net10.0", "SampleApp.dll");
        Assert.That(File.Exists(dll), dll + " is built with the solution");
        return dll;
    }

    static (int ExitCode, string Output) RunSample(string? echo)
    {
        var dll = SampleDll();
        var start = new ProcessStartInfo("dotnet", $"\"{dll}\"")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment.Remove("SYSDIG_TRACERS");
        if (echo == null)
        {
            start.Environment.Remove("SYSDIG_TRACERS_ECHO");
        }
        else
        {
            start.Environment["SYSDIG_TRACERS_ECHO"] = echo;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.That(error, Is.Empty);
        return (process.ExitCode, output);
    }
}
