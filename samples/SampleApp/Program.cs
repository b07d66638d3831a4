using System;
using System.Threading.Tasks;
using SysdigTracers;
using SampleApp.Billing;
using SampleApp.Orders;
using SampleApp.Shipping;

namespace SampleApp;

/// <summary>
/// Calls a few woven methods. Each one writes an enter tracer (">") when it starts and an exit tracer ("<") when it
/// ends; with SYSDIG_TRACERS_ECHO=stdout (set by launchSettings.json for dotnet run) they are also printed here,
/// and `sudo sysdig evt.type=tracer` shows them as spans.
/// </summary>
public static class Program
{
    public static async Task<int> Main()
    {
        Console.WriteLine("SysdigTracers sample: every line starting with > or < is a tracer.");
        Console.WriteLine();

        Console.WriteLine("# [Traced(Arguments = true, ReturnValue = true)] on a class");
        var orders = new OrderService();
        var total = orders.Place("book", 2);
        Console.WriteLine($"  placed, total {total}");
        Console.WriteLine();

        Console.WriteLine("# selected by IncludeNamespaces=\"SampleApp.Billing*\" in FodyWeavers.xml");
        var invoice = new InvoiceCalculator().Invoice(total);
        Console.WriteLine($"  invoiced {invoice}");
        Console.WriteLine();

        Console.WriteLine("# an exception: the exit tracer names it, the exception is unchanged");
        try
        {
            orders.Place("unicorn", 1);
        }
        catch (InvalidOperationException e)
        {
            Console.WriteLine($"  caught: {e.Message}");
        }

        Console.WriteLine();
        Console.WriteLine("# a custom tag");
        orders.Ship();
        Console.WriteLine();

        Console.WriteLine("# an async method: one span until its task completes, with a fresh numeric id");
        var days = await new ShippingPlanner().DaysToDeliverAsync("book");
        Console.WriteLine($"  delivery in {days} day(s)");
        Console.WriteLine();

        Console.WriteLine("# a manual span with enter and exit args and a child span (the Tracer API)");
        using (var report = Tracer.Begin("sample.report").Arg("format", "pdf").Start())
        {
            using (report.Child("render"))
            {
            }

            report.Arg("pages", 3);
        }

        return 0;
    }
}
