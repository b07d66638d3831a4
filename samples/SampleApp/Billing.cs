namespace SampleApp.Billing;

public sealed class InvoiceCalculator
{
    const decimal TaxRate = 0.2m;

    public decimal Invoice(decimal net) => net + Tax(net);

    static decimal Tax(decimal net) => decimal.Round(net * TaxRate, 2);
}
