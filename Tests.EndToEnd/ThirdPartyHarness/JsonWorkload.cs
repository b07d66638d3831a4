using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;
using Newtonsoft.Json.Linq;
using Newtonsoft.Json.Serialization;

namespace ThirdPartyHarness;

/// <summary>The Newtonsoft.Json workload: each item is a JSON text (valid or not).</summary>
public static class JsonWorkload
{
    public static string Run(string input)
    {
        var report = new StringBuilder();
        Workloads.Step(report, "tokens", () => Tokens(input));
        Workloads.Step(report, "linq", () =>
        {
            var token = JToken.Parse(input, new JsonLoadSettings { LineInfoHandling = LineInfoHandling.Load, DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Replace });
            return token.Type + " " + Workloads.Cap(token.ToString(Formatting.Indented)) + " | " + Paths(token);
        });
        Workloads.Step(report, "linq-strict", () =>
            JToken.Parse(input, new JsonLoadSettings { DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Error }).ToString(Formatting.None));
        Workloads.Step(report, "dynamic", () =>
        {
            var value = JsonConvert.DeserializeObject(input, new JsonSerializerSettings { MaxDepth = 32, DateParseHandling = DateParseHandling.DateTimeOffset, FloatParseHandling = FloatParseHandling.Decimal });
            return Workloads.Cap(JsonConvert.SerializeObject(value, Formatting.None, new JsonSerializerSettings { DateFormatHandling = DateFormatHandling.IsoDateFormat }));
        });
        Workloads.Step(report, "dictionary", () =>
        {
            var value = JsonConvert.DeserializeObject<Dictionary<string, object?>>(input);
            return value == null ? "null" : string.Join(";", value.Select(p => p.Key + "=" + (p.Value?.GetType().Name ?? "null")));
        });
        Workloads.Step(report, "poco", () =>
        {
            var order = JsonConvert.DeserializeObject<Order>(input, new JsonSerializerSettings
            {
                MissingMemberHandling = MissingMemberHandling.Ignore,
                Converters = { new StringEnumConverter() },
            });
            return JsonConvert.SerializeObject(order, new JsonSerializerSettings
            {
                ContractResolver = new DefaultContractResolver { NamingStrategy = new SnakeCaseNamingStrategy() },
                NullValueHandling = NullValueHandling.Ignore,
                Converters = { new StringEnumConverter(new CamelCaseNamingStrategy()) },
                Formatting = Formatting.Indented,
            });
        });
        Workloads.Step(report, "poco-strict", () =>
        {
            var order = JsonConvert.DeserializeObject<Order>(input, new JsonSerializerSettings { MissingMemberHandling = MissingMemberHandling.Error });
            return order?.ToString() ?? "null";
        });
        Workloads.Step(report, "select", () =>
        {
            var token = JToken.Parse(input);
            return string.Join(",", token.SelectTokens("$..*").Take(50).Select(t => t.Path + ":" + t.Type)) + " / " +
                   string.Join(",", token.SelectTokens("$..[?(@.id > 1)]").Select(t => t.Path));
        });
        Workloads.Step(report, "xml", () =>
        {
            var document = JsonConvert.DeserializeXmlNode(input, "root", writeArrayAttribute: true);
            var xml = document!.OuterXml;
            return Workloads.Cap(xml) + " | " + JsonConvert.SerializeXmlNode(document, Formatting.None, omitRootObject: true);
        });
        Workloads.Step(report, "bson-like-roundtrip", () =>
        {
            var token = JToken.Parse(input);
            using var writer = new StringWriter(CultureInfo.InvariantCulture);
            using (var json = new JsonTextWriter(writer) { Formatting = Formatting.Indented, Indentation = 3, QuoteChar = '\'', StringEscapeHandling = StringEscapeHandling.EscapeNonAscii })
            {
                token.WriteTo(json);
            }

            var again = JToken.Parse(writer.ToString());
            return JToken.DeepEquals(token, again) + " " + Workloads.Cap(writer.ToString(), 2000);
        });
        return report.ToString();
    }

    static string Tokens(string input)
    {
        var text = new StringBuilder();
        using var reader = new JsonTextReader(new StringReader(input)) { MaxDepth = 40, DateParseHandling = DateParseHandling.None };
        var count = 0;
        try
        {
            while (reader.Read())
            {
                if (count++ < 200)
                {
                    text.Append(reader.TokenType).Append('(').Append(Convert.ToString(reader.Value, CultureInfo.InvariantCulture)).Append(')')
                        .Append('@').Append(reader.LineNumber).Append(':').Append(reader.LinePosition).Append(' ');
                }
            }
        }
        catch (JsonReaderException e)
        {
            text.Append(Workloads.Describe(e)).Append(" at ").Append(e.Path).Append(' ').Append(e.LineNumber).Append(':').Append(e.LinePosition);
        }

        return text.Append(" #").Append(count).ToString();
    }

    static string Paths(JToken token) =>
        string.Join(",", new[] { token }.Concat(token.Children().SelectMany(c => new[] { c }.Concat(c.Children()))).Take(40).Select(t =>
            t.Path + (((IJsonLineInfo)t).HasLineInfo() ? "@" + ((IJsonLineInfo)t).LineNumber + ":" + ((IJsonLineInfo)t).LinePosition : "")));
}

public enum Status
{
    Open,
    Shipped,
    Cancelled,
}

public sealed class Order
{
    public int Id { get; set; }

    [JsonProperty("customer")]
    public string? Customer { get; set; }

    public Status Status { get; set; }

    public decimal Total { get; set; }

    public DateTime? Placed { get; set; }

    public List<Line> Lines { get; set; } = new();

    public Dictionary<string, string>? Tags { get; set; }

    [JsonIgnore]
    public string Ignored { get; set; } = "ignored";

    public int[]? Ratings { get; set; }

    public override string ToString() =>
        $"Order {Id} {Customer} {Status} {Total.ToString(CultureInfo.InvariantCulture)} {Placed?.ToString("O", CultureInfo.InvariantCulture)} lines={Lines.Count} tags={Tags?.Count} ratings={Ratings?.Length}";
}

public sealed class Line
{
    public string? Sku { get; set; }

    public int Quantity { get; set; }

    public double Price { get; set; }

    public Line? Next { get; set; }
}
