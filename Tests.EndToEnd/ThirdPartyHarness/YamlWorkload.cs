using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace ThirdPartyHarness;

/// <summary>The YamlDotNet workload: each item is a YAML text (valid or not).</summary>
public static class YamlWorkload
{
    public static string Run(string input)
    {
        var report = new StringBuilder();
        Workloads.Step(report, "events", () => Events(input));
        Workloads.Step(report, "stream", () =>
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(input));
            var text = new StringBuilder();
            foreach (var document in stream.Documents)
            {
                Dump(document.RootNode, text, 0);
                text.Append("---");
            }

            var writer = new StringWriter();
            stream.Save(writer, assignAnchors: false);
            return Workloads.Cap(text.ToString()) + " | " + Workloads.Cap(writer.ToString());
        });
        Workloads.Step(report, "object", () =>
        {
            var value = new DeserializerBuilder().Build().Deserialize(new StringReader(input));
            return Workloads.Cap(new SerializerBuilder().Build().Serialize(value ?? "(null)")) + " | " +
                   Workloads.Cap(new SerializerBuilder().JsonCompatible().Build().Serialize(value ?? "(null)"));
        });
        Workloads.Step(report, "poco", () =>
        {
            var deserializer = new DeserializerBuilder()
                .WithNamingConvention(CamelCaseNamingConvention.Instance)
                .IgnoreUnmatchedProperties()
                .Build();
            var config = deserializer.Deserialize<Config>(input);
            return new SerializerBuilder()
                .WithNamingConvention(UnderscoredNamingConvention.Instance)
                .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull)
                .Build()
                .Serialize(config ?? new Config());
        });
        Workloads.Step(report, "poco-strict", () =>
        {
            var config = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build().Deserialize<Config>(input);
            return config?.ToString() ?? "null";
        });
        Workloads.Step(report, "all-documents", () =>
        {
            var parser = new Parser(new StringReader(input));
            var deserializer = new DeserializerBuilder().Build();
            parser.Consume<StreamStart>();
            var count = 0;
            var text = new StringBuilder();
            while (parser.Accept<DocumentStart>(out _))
            {
                var value = deserializer.Deserialize<object>(parser);
                text.Append(value?.GetType().Name ?? "null").Append(';');
                count++;
            }

            return count + " " + text;
        });
        return report.ToString();
    }

    static string Events(string input)
    {
        var text = new StringBuilder();
        var parser = new Parser(new Scanner(new StringReader(input), skipComments: false));
        var count = 0;
        while (parser.MoveNext())
        {
            var current = parser.Current!;
            if (count++ < 200)
            {
                text.Append(current.GetType().Name);
                switch (current)
                {
                    case Scalar scalar:
                        text.Append('(').Append(scalar.Tag.IsEmpty ? "" : scalar.Tag.Value).Append('|').Append(scalar.Anchor.IsEmpty ? "" : scalar.Anchor.Value)
                            .Append('|').Append(scalar.Style).Append('|').Append(scalar.Value).Append(')');
                        break;
                    case AnchorAlias alias:
                        text.Append('(').Append(alias.Value.Value).Append(')');
                        break;
                    case Comment comment:
                        text.Append('(').Append(comment.Value).Append(')');
                        break;
                }

                text.Append('@').Append(current.Start.Line).Append(':').Append(current.Start.Column).Append(' ');
            }
        }

        return text.Append('#').Append(count).ToString();
    }

    static void Dump(YamlNode node, StringBuilder text, int depth)
    {
        if (depth > 60)
        {
            text.Append("...");
            return;
        }

        switch (node)
        {
            case YamlScalarNode scalar:
                text.Append('"').Append(scalar.Value).Append('"').Append(scalar.Tag.IsEmpty ? "" : scalar.Tag.Value);
                break;
            case YamlSequenceNode sequence:
                text.Append('[');
                foreach (var child in sequence.Children)
                {
                    Dump(child, text, depth + 1);
                    text.Append(',');
                }

                text.Append(']');
                break;
            case YamlMappingNode mapping:
                text.Append('{');
                foreach (var pair in mapping.Children)
                {
                    Dump(pair.Key, text, depth + 1);
                    text.Append(':');
                    Dump(pair.Value, text, depth + 1);
                    text.Append(',');
                }

                text.Append('}');
                break;
            default:
                text.Append('?').Append(node.NodeType);
                break;
        }

        if (!node.Anchor.IsEmpty)
        {
            text.Append('&').Append(node.Anchor.Value);
        }
    }
}

public sealed class Config
{
    public string? Name { get; set; }

    public int Port { get; set; }

    public bool Enabled { get; set; }

    public double Ratio { get; set; }

    public List<string>? Hosts { get; set; }

    public Dictionary<string, int>? Limits { get; set; }

    public Config? Child { get; set; }

    public Status Status { get; set; }

    public override string ToString() =>
        $"Config {Name} {Port} {Enabled} {Ratio} hosts={Hosts?.Count} limits={Limits?.Count} child={Child} {Status}";
}
