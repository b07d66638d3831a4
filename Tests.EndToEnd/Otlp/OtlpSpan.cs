using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace Tests.EndToEnd;

/// <summary>One span of an OTLP JSON document (<c>resourceSpans[].scopeSpans[].spans[]</c>), flattened.</summary>
public sealed record OtlpSpan(
    string Scope,
    string Name,
    string TraceId,
    string SpanId,
    string ParentSpanId,
    int Kind,
    int StatusCode,
    string StatusMessage,
    IReadOnlyDictionary<string, string> Attributes,
    IReadOnlyList<(string Name, IReadOnlyDictionary<string, string> Attributes)> Events)
{
    /// <summary>An attribute's value without its OTLP type (the dashboard keeps values as text and may return an integer as a string).</summary>
    public string Value(string key) => Attributes[key].Substring(Attributes[key].IndexOf(':') + 1);

    /// <summary>Every span of the document. Attribute values are kept as <c>type:text</c>, for example <c>intValue:2</c>.</summary>
    public static List<OtlpSpan> All(JsonDocument document)
    {
        var spans = new List<OtlpSpan>();
        foreach (var resource in document.RootElement.GetProperty("data").GetProperty("resourceSpans").EnumerateArray())
        {
            foreach (var scope in resource.GetProperty("scopeSpans").EnumerateArray())
            {
                var scopeName = scope.TryGetProperty("scope", out var s) && s.TryGetProperty("name", out var n) ? n.GetString()! : "";
                foreach (var span in scope.GetProperty("spans").EnumerateArray())
                {
                    var status = span.TryGetProperty("status", out var st) ? st : default;
                    spans.Add(new OtlpSpan(
                        scopeName,
                        span.GetProperty("name").GetString()!,
                        span.GetProperty("traceId").GetString()!,
                        span.GetProperty("spanId").GetString()!,
                        span.TryGetProperty("parentSpanId", out var parent) ? parent.GetString() ?? "" : "",
                        span.TryGetProperty("kind", out var kind) ? kind.GetInt32() : 0,
                        status.ValueKind == JsonValueKind.Object && status.TryGetProperty("code", out var code) ? code.GetInt32() : 0,
                        status.ValueKind == JsonValueKind.Object && status.TryGetProperty("message", out var message) ? message.GetString() ?? "" : "",
                        ReadAttributes(span),
                        span.TryGetProperty("events", out var events)
                            ? events.EnumerateArray().Select(e => (e.GetProperty("name").GetString()!, ReadAttributes(e))).ToList()
                            : new List<(string, IReadOnlyDictionary<string, string>)>()));
                }
            }
        }

        return spans;
    }

    static IReadOnlyDictionary<string, string> ReadAttributes(JsonElement owner)
    {
        var attributes = new Dictionary<string, string>();
        if (owner.TryGetProperty("attributes", out var list))
        {
            foreach (var attribute in list.EnumerateArray())
            {
                var value = attribute.GetProperty("value").EnumerateObject().First();
                attributes[attribute.GetProperty("key").GetString()!] = value.Name + ":" +
                    (value.Value.ValueKind == JsonValueKind.String ? value.Value.GetString() : value.Value.GetRawText());
            }
        }

        return attributes;
    }
}
