using System;
using System.Text;
using Jint;
using Jint.Native;
using Jint.Runtime;

namespace ThirdPartyHarness;

/// <summary>The Jint workload: each item is a JavaScript program (it may throw, recurse deeply or not parse).</summary>
public static class JsWorkload
{
    public static string Run(string input)
    {
        var report = new StringBuilder();
        Workloads.Step(report, "eval", () =>
        {
            var log = new StringBuilder();
            var engine = new Engine(options => options
                .LimitRecursion(400)
                .MaxStatements(200_000)
                .Strict(false)
                .LocalTimeZone(TimeZoneInfo.Utc)
                .Culture(System.Globalization.CultureInfo.InvariantCulture));
            engine.SetValue("log", new Action<object?>(value => log.Append(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)).Append(';')));
            try
            {
                var result = engine.Evaluate(input);
                return Describe(engine, result) + " log:" + Workloads.Cap(log.ToString());
            }
            catch (JavaScriptException e)
            {
                return "!JavaScriptException: " + e.Message + " error=" + Describe(engine, e.Error) + " at " + e.Location.Start.Line + ":" + e.Location.Start.Column + " log:" + log;
            }
        });
        Workloads.Step(report, "strict-module-like", () =>
        {
            var engine = new Engine(options => options.Strict().LimitRecursion(100).MaxStatements(50_000));
            var result = engine.Evaluate("'use strict';\n" + input);
            return Describe(engine, result);
        });
        Workloads.Step(report, "parse-only", () =>
        {
            var script = Engine.PrepareScript(input);
            return script.GetType().Name;
        });
        return report.ToString();
    }

    static string Describe(Engine engine, JsValue value)
    {
        if (value.IsUndefined())
        {
            return "undefined";
        }

        try
        {
            var json = engine.Invoke(engine.Evaluate("(v) => JSON.stringify(v)"), value);
            return value.Type + " " + Workloads.Cap(json.IsUndefined() ? value.ToString() : json.AsString(), 4000);
        }
        catch (JavaScriptException e)
        {
            return value.Type + " (" + e.Message + ") " + Workloads.Cap(value.ToString(), 4000);
        }
    }
}
