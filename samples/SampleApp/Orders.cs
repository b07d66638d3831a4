using System;
using SysdigTracers;

namespace SampleApp.Orders;

[Traced(Arguments = true, ReturnValue = true)]
public sealed class OrderService
{
    public decimal Place(string item, int quantity) => Price(item) * quantity;

    [Traced("orders.ship")]
    public void Ship()
    {
    }

    static decimal Price(string item) => item switch
    {
        "book" => 12.5m,
        "pen" => 1.2m,
        _ => throw new InvalidOperationException($"no such item: {item}"),
    };
}
