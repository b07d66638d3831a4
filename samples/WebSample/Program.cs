using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using WebSample.Shop;

var builder = WebApplication.CreateBuilder(args);

// The OpenTelemetry SDK, configured as any application does. The OTLP exporter reads the standard
// OTEL_EXPORTER_OTLP_ENDPOINT / OTEL_EXPORTER_OTLP_PROTOCOL variables, the resource OTEL_SERVICE_NAME.
builder.Services.AddOpenTelemetry()
    .ConfigureResource(resource => resource.AddService("WebSample"))
    .WithTracing(tracing => tracing
        .AddAspNetCoreInstrumentation()
        // Each woven assembly has an ActivitySource named after it: one wildcard picks up all of the application's.
        .AddSource("WebSample*")
        .AddOtlpExporter());

builder.Services.AddSingleton<Catalog>();
builder.Services.AddSingleton<Inventory>();
builder.Services.AddSingleton<CheckoutService>();

var app = builder.Build();

// The request's span (from the ASP.NET Core instrumentation) is the parent of the traced methods' spans.
app.MapGet("/checkout/{item}", async (string item, int? quantity, CheckoutService checkout) =>
{
    try
    {
        var total = await checkout.PlaceAsync(item, quantity ?? 1);
        return Results.Ok(new { item, total });
    }
    catch (UnknownItemException exception)
    {
        return Results.NotFound(exception.Message);
    }
});

app.Run();
