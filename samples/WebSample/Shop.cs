using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace WebSample.Shop;

/// <summary>Prices of the items on sale; throws for an unknown item.</summary>
public sealed class Catalog
{
    static readonly Dictionary<string, decimal> Prices = new() { ["book"] = 12.50m, ["pen"] = 1.20m };

    public decimal Price(string item) =>
        Prices.TryGetValue(item, out var price) ? price : throw new UnknownItemException(item);
}

/// <summary>Stock, reserved asynchronously.</summary>
public sealed class Inventory
{
    public async Task<bool> ReserveAsync(string item, int quantity)
    {
        await Task.Delay(15);
        return quantity <= 10;
    }
}

/// <summary>A checkout: a price, a reservation, a total.</summary>
public sealed class CheckoutService
{
    readonly Catalog catalog;
    readonly Inventory inventory;

    public CheckoutService(Catalog catalog, Inventory inventory)
    {
        this.catalog = catalog;
        this.inventory = inventory;
    }

    public async Task<decimal> PlaceAsync(string item, int quantity)
    {
        var price = catalog.Price(item);
        var reserved = await inventory.ReserveAsync(item, quantity);
        return reserved ? Total(price, quantity) : 0m;
    }

    public decimal Total(decimal price, int quantity) => price * quantity;
}

public sealed class UnknownItemException : Exception
{
    public UnknownItemException(string item)
        : base("no such item: " + item)
    {
    }
}
