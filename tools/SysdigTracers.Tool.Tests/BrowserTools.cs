using System.IO;
using System.Linq;
using Json.Schema;
using NUnit.Framework;

namespace SysdigTracers.Tool.Tests;

/// <summary>
/// What .ci/run installs for the export and browser tests: npm packages in tools/browser-tests (speedscope,
/// puppeteer-core), Node.js and Debian's chromium. Missing ones fail the test with the command that installs them.
/// </summary>
internal static class BrowserTools
{
    public static string Folder => Path.Combine(Repository.Root, "tools", "browser-tests");

    public static string Speedscope => Require(Path.Combine(Folder, "node_modules", "speedscope", "dist", "release"),
        "the speedscope npm package is not installed: run `npm ci --prefix tools/browser-tests` (what .ci/run does)");

    public static JsonSchema SpeedscopeSchema() => JsonSchema.FromFile(Path.Combine(Speedscope, "file-format-schema.json"));

    public static string Chromium => Require(
        new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists) ?? "/usr/bin/chromium",
        "Debian's chromium is not installed: run `apt-get install -y chromium` (what .ci/run does)");

    public static string Node => Require("/usr/bin/node",
        "Node.js is not installed: run `apt-get install -y nodejs npm` (what .ci/run does)");

    static string Require(string path, string hint)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            Assert.Fail(hint);
        }

        return path;
    }
}
