using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Tests.Scale;

/// <summary>
/// The inputs of the third-party workloads: hand-written documents and scripts that aim at the libraries' corners
/// (errors, depth limits, escapes, every syntax form), plus seeded random ones, valid and mutated into invalid.
/// Deterministic: the same count gives the same items.
/// </summary>
public static class Corpus
{
    /// <summary>The corpus of <paramref name="library"/> (json, yaml, js) with <paramref name="generated"/> random items.</summary>
    public static string[] For(string library, int generated) => library switch
    {
        "json" => Json(generated),
        "yaml" => Yaml(generated),
        "js" => Js(generated),
        _ => throw new ArgumentException(library),
    };

    /// <summary>
    /// The corpus of the default test run: every fourth item of the full corpus's hand-written part, without the
    /// items that take seconds once woven (large documents, scripts that run hundreds of thousands of statements:
    /// with every method traced, arguments and return values formatted, they are 50 to 1000 times slower), plus
    /// <paramref name="generated"/> random items.
    /// </summary>
    public static string[] Reduced(string library, int generated)
    {
        var all = For(library, 0);
        return all.Where((item, index) => index % 4 == 0 && !IsHeavy(item))
            .Concat(For(library, generated).Skip(all.Length))
            .ToArray();
    }

    static bool IsHeavy(string item) =>
        item.Length > 1000 || item.Contains("while (true)", StringComparison.Ordinal) || item.Contains("1e9", StringComparison.Ordinal) ||
        item.Contains("10000", StringComparison.Ordinal) || item.Contains("fib(", StringComparison.Ordinal) || item.Contains("deep(", StringComparison.Ordinal);

    // ---------------------------------------------------------------- JSON

    static readonly string[] JsonHandWritten =
    {
        "{}", "[]", "null", "true", "0", "-0", "1e308", "1e309", "-1.5e-300", "123456789012345678901234567890",
        "\"plain\"", "\"esc \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\ud83d\\ude00\"", "\"lone \\ud800 surrogate\"",
        "{\"id\":1,\"customer\":\"Ann\",\"status\":\"Shipped\",\"total\":12.50,\"placed\":\"2024-02-29T13:14:15Z\",\"lines\":[{\"sku\":\"A\",\"quantity\":2,\"price\":1.25}],\"tags\":{\"a\":\"b\"},\"ratings\":[1,2,3]}",
        "{\"id\":2,\"customer\":null,\"status\":1,\"total\":\"7\",\"lines\":[{\"sku\":\"B\",\"next\":{\"sku\":\"C\",\"next\":{\"sku\":\"D\"}}}]}",
        "{\"id\":\"not a number\"}", "{\"id\":3,\"unknown\":true}", "{\"status\":\"Nope\"}", "{\"placed\":\"yesterday\"}",
        "{\"a\":1,\"a\":2}", "{\"a\":[1,2,{\"id\":5},{\"id\":0}],\"b\":{\"id\":9}}",
        "{\"$type\":\"System.Object\",\"x\":1}", "{\"$ref\":\"1\"}", "{\"$id\":\"1\",\"self\":{\"$ref\":\"1\"}}",
        "{\"@attr\":\"v\",\"#text\":\"t\",\"child\":[1,2]}", "{\"root\":{\"@xmlns:x\":\"urn:x\",\"x:e\":\"1\"}}",
        "[1,2,3,]", "{\"a\":1,}", "{'single':'quotes'}", "{unquoted:1}", "/* comment */ {\"a\": // line\n 1}",
        "{\"a\":NaN,\"b\":Infinity,\"c\":-Infinity}", "[new Date(1234)]", "{\"d\":\"\\/Date(1234567890000+0100)\\/\"}",
        "", " ", "{", "[", "}", "]", "{\"a\"", "{\"a\":", "[1 2]", "\"unterminated", "tru", "nul", "01", "1.", ".5", "+1",
        "{\"a\":1}}", "[[[[]]]]x", "\u0000", "{\"a\":\"\u0001\"}", "\"\\x41\"", "\"\\u12\"", "{\"k\\u0000\":1}",
        "[\"\\ud83d\"]", "{\"big\":1e99999}", "{\"neg\":-}", "[-]", "[1e]", "[1e+]", "undefined", "[undefined]",
        "{\"id\":2147483648}", "{\"id\":-2147483649}", "{\"quantity\":1.5}", "{\"total\":1e30}", "{\"ratings\":\"x\"}",
        "{\"lines\":{}}", "{\"tags\":[]}", "{\"lines\":[null,{}]}", "\ufeff{\"bom\":1}",
    };

    static string[] Json(int generated)
    {
        var items = new List<string>(JsonHandWritten)
        {
            new string('[', 30) + new string(']', 30),
            new string('[', 100) + new string(']', 100),
            new string('[', 5000) + new string(']', 5000),
            string.Concat(Enumerable.Repeat("{\"a\":", 70)) + "1" + new string('}', 70),
            "[" + string.Join(",", Enumerable.Range(0, 100).Select(i => i.ToString(CultureInfo.InvariantCulture))) + "]",
            "\"" + new string('x', 100_000) + "\"",
        };
        var random = new Random(6001);
        for (var i = 0; i < generated; i++)
        {
            var text = new StringBuilder();
            RandomJson(random, text, 0);
            items.Add(Mutate(random, text.ToString(), i));
        }

        return items.ToArray();
    }

    static void RandomJson(Random random, StringBuilder text, int depth)
    {
        var kind = depth > 5 ? random.Next(6) : random.Next(9);
        switch (kind)
        {
            case 0: text.Append("null"); break;
            case 1: text.Append(random.Next(2) == 0 ? "true" : "false"); break;
            case 2: text.Append(random.Next(-100000, 100000).ToString(CultureInfo.InvariantCulture)); break;
            case 3: text.Append((random.NextDouble() * Math.Pow(10, random.Next(-20, 20))).ToString("R", CultureInfo.InvariantCulture)); break;
            case 4:
            case 5: text.Append('"').Append(EscapeJson(RandomText(random, 12))).Append('"'); break;
            case 6:
            case 7:
                text.Append('{');
                var keys = random.Next(5);
                for (var k = 0; k < keys; k++)
                {
                    if (k > 0)
                    {
                        text.Append(',');
                    }

                    var key = random.Next(4) == 0 ? Pick(random, "id", "customer", "status", "total", "lines", "sku", "quantity", "price", "tags") : RandomText(random, 6);
                    text.Append('"').Append(EscapeJson(key)).Append("\":");
                    RandomJson(random, text, depth + 1);
                }

                text.Append('}');
                break;
            default:
                text.Append('[');
                var count = random.Next(6);
                for (var k = 0; k < count; k++)
                {
                    if (k > 0)
                    {
                        text.Append(',');
                    }

                    RandomJson(random, text, depth + 1);
                }

                text.Append(']');
                break;
        }
    }

    static string EscapeJson(string text)
    {
        var escaped = new StringBuilder();
        foreach (var c in text)
        {
            escaped.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                _ when c < 0x20 || char.IsSurrogate(c) => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        return escaped.ToString();
    }

    // ---------------------------------------------------------------- YAML

    static readonly string[] YamlHandWritten =
    {
        "", "~", "null", "a", "'quoted'", "\"double \\t \\u00e9 \\x41\"", "key: value", "- a\n- b\n- c",
        "name: server\nport: 8080\nenabled: true\nratio: 0.5\nhosts: [a, b]\nlimits: {cpu: 2, mem: 512}\nstatus: Shipped\nchild:\n  name: inner\n  port: 1",
        "name: x\nport: notanumber", "port: 99999999999", "enabled: maybe", "status: Unknown", "hosts: scalar", "limits: [1, 2]",
        "unknownKey: 1", "child: [1]",
        "anchors:\n  base: &b {x: 1, y: 2}\n  ref: *b\n  merged:\n    <<: *b\n    z: 3", "a: *undefined", "&a [*a]",
        "literal: |\n  line 1\n  line 2\nfolded: >\n  folded\n  text\n", "keep: |+\n  x\n\n", "strip: |-\n  x\n",
        "%YAML 1.2\n---\na: 1\n...\n---\nb: 2", "%TAG !e! tag:example.com,2000:\n---\n!e!foo bar", "--- !!str 123", "--- !!int abc",
        "--- !!binary aGVsbG8=", "? complex key\n: value", "? [a, b]\n: c", "{a: 1, b: [2, 3], c: {d: e}}",
        "# only a comment", "a: 1 # trailing\n# full\nb: 2", "a: 1\na: 2", "[", "{", "]", "}", "a: [1, 2", "a: {b: 1",
        "a:\n  - b\n c: 1", "\ta: 1", "a: 'unterminated", "a: \"unterminated", "- a\nb: c", "key: value: other",
        "@reserved", "`reserved", "a: !!map [1]", "!!seq {a: 1}", "? ? ? a", "--- |\n  literal\n--- >\n  folded",
        "a: \"\\uD800\"", "a: \"\\q\"", "%YAML 2.0\n---\na", "%YAML 1.1\n%YAML 1.1\n---\na", "a: 1\n...\nb: 2",
        "emoji: 😀\ncjk: 日本語", "a: \u0001", "\ufeffa: 1", "- - - - - deep", "x: -.inf\ny: .NaN\nz: 0x1F\nw: 0o17\nv: 1_000",
        "date: 2001-12-14t21:59:43.10-05:00", "bools: [yes, no, on, off, True, FALSE]",
    };

    static string[] Yaml(int generated)
    {
        var items = new List<string>(YamlHandWritten)
        {
            new string('[', 40) + new string(']', 40),
            new string('[', 300) + new string(']', 300),
            string.Concat(Enumerable.Range(0, 60).Select(i => new string(' ', i * 2) + "k" + i + ":\n")) + new string(' ', 120) + "leaf",
            string.Join("\n", Enumerable.Range(0, 100).Select(i => "- item" + i)),
            "a: &a [x]\n" + string.Join("\n", Enumerable.Range(1, 8).Select(i => $"b{i}: &b{i} [*{(i == 1 ? "a" : "b" + (i - 1))}, *{(i == 1 ? "a" : "b" + (i - 1))}]")),
            "big: " + new string('y', 50_000),
        };
        var random = new Random(6002);
        for (var i = 0; i < generated; i++)
        {
            var text = new StringBuilder();
            RandomYaml(random, text, 0, random.Next(3) == 0);
            items.Add(Mutate(random, text.ToString(), i));
        }

        return items.ToArray();
    }

    static void RandomYaml(Random random, StringBuilder text, int indent, bool flow)
    {
        var pad = new string(' ', indent);
        var keys = random.Next(1, 5);
        if (flow)
        {
            text.Append('{');
            for (var k = 0; k < keys; k++)
            {
                text.Append(k > 0 ? ", " : "").Append(YamlKey(random)).Append(": ").Append(YamlScalar(random));
            }

            text.Append("}\n");
            return;
        }

        for (var k = 0; k < keys; k++)
        {
            text.Append(pad).Append(YamlKey(random)).Append(':');
            switch (indent > 8 ? 0 : random.Next(4))
            {
                case 0: text.Append(' ').Append(YamlScalar(random)).Append('\n'); break;
                case 1:
                    text.Append('\n');
                    RandomYaml(random, text, indent + 2, random.Next(4) == 0);
                    break;
                case 2:
                    text.Append('\n');
                    for (var s = random.Next(1, 4); s > 0; s--)
                    {
                        text.Append(pad).Append("- ").Append(YamlScalar(random)).Append('\n');
                    }

                    break;
                default: text.Append(" [").Append(YamlScalar(random)).Append(", ").Append(YamlScalar(random)).Append("]\n"); break;
            }
        }
    }

    static string YamlKey(Random random) =>
        random.Next(3) == 0 ? Pick(random, "name", "port", "enabled", "ratio", "hosts", "limits", "child", "status") : "k" + random.Next(1000);

    static string YamlScalar(Random random) => random.Next(8) switch
    {
        0 => random.Next(-1000, 100000).ToString(CultureInfo.InvariantCulture),
        1 => Pick(random, "true", "false", "null", "~", "yes", ".inf", "-.inf", ".nan"),
        2 => (random.NextDouble() * 1000).ToString("R", CultureInfo.InvariantCulture),
        3 => "\"" + RandomText(random, 10).Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"",
        4 => "'" + RandomText(random, 10).Replace("'", "''") + "'",
        5 => Pick(random, "Open", "Shipped", "Cancelled", "&anchor x", "*anchor", "!!str 5", "|", ">"),
        _ => "w" + random.Next(100000),
    };

    // ---------------------------------------------------------------- JavaScript

    static readonly string[] JsHandWritten =
    {
        "1 + 2", "'a' + 1", "[1, 2, 3].map(x => x * 2)", "({ a: 1, b: [true, null, 'x'] })", "undefined", "null", "NaN",
        "0.1 + 0.2", "2 ** 53 + 1", "123n * 456n", "typeof Symbol()", "[..'héllo😀']", "'abc'.replace(/b/g, '$&$&')",
        "function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); } fib(15)",
        "function down(n) { return n === 0 ? 0 : 1 + down(n - 1); } down(300)",
        "function forever(n) { return forever(n + 1) + 1; } forever(0)",
        "function deep(n) { try { return deep(n + 1); } finally { log(n === 0 ? 'unwound' : ''); } } deep(0)",
        "while (true) {}", "for (let i = 0; ; i++) { if (i > 1e9) break; }",
        "throw new Error('boom')", "throw new TypeError('bad type')", "throw 42", "throw { code: 7 }", "throw null",
        "null.x", "undefined()", "let a = 1; let a = 2;", "x = ", "function (", "var 1x = 2;", "return 5", "`unterminated",
        "'use strict'; undeclared = 1", "class A { #p = 1; get p() { return this.#p; } } new A().p",
        "class A { constructor() { throw new RangeError('in ctor'); } } new A()",
        "class B extends Array {} const b = new B(); b.push(1, 2); [b.length, b instanceof Array]",
        "function* g() { yield 1; yield* [2, 3]; return 4; } [...g()]",
        "function* g() { try { yield 1; } finally { log('cleanup'); } } const it = g(); it.next(); it.return(9)",
        "const { a, ...rest } = { a: 1, b: 2, c: 3 }; [a, rest]", "const [x, , y = 5] = [1, 2]; [x, y]",
        "label: for (const i of [1, 2, 3]) { for (const j of [1, 2]) { if (j === 2) continue label; log(i + ':' + j); } }",
        "const m = new Map([[1, 'a'], [{}, 'b']]); [...m.values()]", "new Set([1, 1, 2]).size",
        "JSON.parse('{\"a\": [1, 2, {\"b\": null}]}')", "JSON.parse('{bad json}')", "JSON.stringify({ toJSON() { return 'custom'; } })",
        "const o = {}; o.self = o; JSON.stringify(o)", "Object.freeze([1]).push(2)", "'use strict'; Object.freeze({a: 1}).a = 2",
        "new Proxy({}, { get: (t, k) => 'proxied ' + String(k) }).anything",
        "const p = new Proxy({}, { get() { throw new Error('trap'); } }); p.x",
        "Reflect.ownKeys({ b: 1, a: 2, 1: 3, [Symbol.iterator]: 4 }).length",
        "let s = 0; for (let i = 0; i < 10000; i++) { s += i % 7; } s",
        "new Date(Date.UTC(2020, 1, 29)).toISOString()", "new Date('not a date').getTime()",
        "/(?<year>\\d{4})-(?<month>\\d{2})/.exec('2024-05').groups", "/[/.test('x')", "new RegExp('(')",
        "'x'.repeat(-1)", "'x'.repeat(2 ** 40)", "new Array(-1)", "[].reduce((a, b) => a + b)", "decodeURIComponent('%')",
        "(function () { return arguments.length; })(1, 2, 3)", "(() => { 'use strict'; return this; })()",
        "const f = (...a) => a.reverse(); f(1, 2, 3)", "String.raw`a\\nb${1 + 1}`", "((a, b = a * 2) => a + b)(3)",
        "Array.from({ length: 5 }, (_, i) => i * i)", "[3, 1, 2].sort((a, b) => b - a).join('-')",
        "new Uint8Array([1, 2, 300])", "new ArrayBuffer(8).byteLength", "Math.max(...[1, 5, 3])", "parseInt('0x1f')",
        "Number.MAX_SAFE_INTEGER + 2", "(1e21).toString(36)", "(-0).toFixed(2)", "1 / 0", "[] + {}", "[0] == false",
        "Object.prototype.toString.call(null)", "getter = { get v() { throw new SyntaxError('getter'); } }; getter.v",
        "async function f() { return 1; } f() instanceof Promise", "Promise.reject(new Error('later')); 'sync done'",
        "var x = 0; with ({ x: 5 }) { x }", "delete Object.prototype; 1", "eval('1 + 1')", "eval('{')", "new Function('a', 'return a * 3')(4)",
        "Symbol.for('k') === Symbol.for('k')", "({ [Symbol.toPrimitive]: () => 7 }) * 2", "BigInt(1.5)", "1n + 1",
        "'\\ud800'.length", "encodeURIComponent('\\ud800')", "'\\u0000'.charCodeAt(0)", "escape('ä')",
    };

    static string[] Js(int generated)
    {
        var items = new List<string>(JsHandWritten)
        {
            "const a = []; for (let i = 0; i < 200; i++) a.push({ i, s: 'v' + i }); JSON.stringify(a).length",
            "let v = 1; " + string.Concat(Enumerable.Range(0, 300).Select(i => $"v = (v * {i % 13 + 1} + {i}) % 1000003; ")) + "v",
            "(" + new string('(', 150) + "1" + new string(')', 150) + ")",
            "(" + new string('[', 2000) + new string(']', 2000) + ")",
            "'" + new string('q', 100_000) + "'.length",
        };
        var random = new Random(6003);
        for (var i = 0; i < generated; i++)
        {
            var script = random.Next(3) switch
            {
                0 => RandomExpression(random, 0),
                1 => "function f(n) { if (n <= 0) return " + RandomExpression(random, 2) + "; return f(n - 1) + n; } f(" + random.Next(0, 500) + ")",
                _ => "var o = " + RandomJsValue(random, 0) + "; JSON.stringify(o) + ':' + Object.keys(o || {}).length",
            };
            items.Add(Mutate(random, script, i));
        }

        return items.ToArray();
    }

    static string RandomExpression(Random random, int depth)
    {
        if (depth > 4 || random.Next(3) == 0)
        {
            return random.Next(5) switch
            {
                0 => random.Next(-50, 50).ToString(CultureInfo.InvariantCulture),
                1 => "'" + RandomText(random, 5).Replace("\\", "\\\\").Replace("'", "\\'").Replace("\n", "\\n").Replace("\r", "\\r").Replace("\u2028", "\\u2028").Replace("\u2029", "\\u2029") + "'",
                2 => Pick(random, "null", "undefined", "true", "[]", "{}", "NaN", "-0", "1n"),
                3 => (random.NextDouble() * 100).ToString("R", CultureInfo.InvariantCulture),
                _ => "[" + random.Next(9) + ", 'x']",
            };
        }

        var op = Pick(random, "+", "-", "*", "/", "%", "**", "==", "===", "<", ">=", "&&", "||", "??", "&", "|", "^", "<<", ">>>");
        return "(" + RandomExpression(random, depth + 1) + " " + op + " " + RandomExpression(random, depth + 1) + ")";
    }

    static string RandomJsValue(Random random, int depth) =>
        depth > 3 ? RandomExpression(random, 5) : random.Next(3) switch
        {
            0 => "{" + string.Join(", ", Enumerable.Range(0, random.Next(4)).Select(k => "k" + k + ": " + RandomJsValue(random, depth + 1))) + "}",
            1 => "[" + string.Join(", ", Enumerable.Range(0, random.Next(4)).Select(_ => RandomJsValue(random, depth + 1))) + "]",
            _ => RandomExpression(random, 3),
        };

    // ---------------------------------------------------------------- shared

    /// <summary>Every third generated item is damaged: truncated, a character dropped, replaced or duplicated.</summary>
    static string Mutate(Random random, string text, int index)
    {
        if (index % 3 != 2 || text.Length == 0)
        {
            return text;
        }

        var at = random.Next(text.Length);
        return random.Next(4) switch
        {
            0 => text.Substring(0, at),
            1 => text.Remove(at, 1),
            2 => text.Substring(0, at) + Pick(random, "\"", "'", ":", "{", "]", "\n", "\t", "-", "&", "*", "\u0000", "\\") + text.Substring(at + 1),
            _ => text.Insert(at, text.Substring(at, Math.Min(5, text.Length - at))),
        };
    }

    static string RandomText(Random random, int maxLength)
    {
        var text = new StringBuilder();
        for (var i = random.Next(maxLength + 1); i > 0; i--)
        {
            text.Append(random.Next(10) switch
            {
                0 => (char)random.Next(0, 0x20),
                1 => Pick(random, "\"", "\\", "'", ":", ",", ".", "=", "#", "&", "*", "<", ">", "%", "{", "}"),
                2 => (char)random.Next(0x80, 0x800),
                3 => "😀",
                4 => (char)random.Next(0xD800, 0xE000),
                _ => (char)random.Next('a', 'z' + 1),
            });
        }

        return text.ToString();
    }

    static string Pick(Random random, params string[] choices) => choices[random.Next(choices.Length)];
}
