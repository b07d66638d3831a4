using System.IO;
using NUnit.Framework;

namespace SysdigTracers.Tool.Tests;

/// <summary>Each command's output on a committed recording (Inputs/shop.rec) and a sysdig -j capture, as approval files.</summary>
public class CommandOutputTests
{
    static readonly string Shop = Repository.Input("shop.rec");

    [TestCase("summary", "summary")]
    [TestCase("summary_depth_2", "summary", "--depth", "2")]
    [TestCase("summary_tag", "summary", "--tag", "MyShop.Orders")]
    [TestCase("summary_tag_depth", "summary", "--tag", "MyShop.Reports", "--depth", "4")]
    [TestCase("list", "list")]
    [TestCase("list_filtered", "list", "--tag", "MyShop.Orders", "--min-duration", "200us")]
    public void Command_output(string name, params string[] args)
    {
        Tool.Result result = Tool.Run([.. args, Shop]);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Approval.Verify(name, Scrub(result.Output + (result.Error.Length > 0 ? "\n--- standard error ---\n" + result.Error : "")));
    }

    [Test]
    public void Summary_of_sysdig_json_output()
    {
        Tool.Result result = Tool.Run("summary", Repository.Input("shop.sysdig.json"));
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Approval.Verify("summary_sysdig_json", result.Output);
    }

    [Test]
    public void A_recording_with_bad_lines_lists_them_and_exits_1()
    {
        string path = Path.GetTempFileName();
        File.WriteAllText(path, "# sysdig-tracers recording 1\n1 1 1 >:t:a::\nbroken\n2 1 1 >:t:0b::\n3 1 1 <:t:a::\n4 1 1 >:t:c");
        try
        {
            Tool.Result result = Tool.Run("summary", path);
            Assert.That(result.ExitCode, Is.EqualTo(1));
            Approval.Verify("summary_problems", Scrub(result.Output.Replace(path, "bad.rec")));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestCase("summary")]
    [TestCase("list")]
    [TestCase("export", "--format", "chrome")]
    public void A_missing_file_is_a_clear_error(params string[] args)
    {
        Tool.Result result = Tool.Run([.. args, "/nonexistent/recording.rec"]);
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error.Trim(), Is.EqualTo("/nonexistent/recording.rec: no such file"));
    }

    [Test]
    public void Invalid_options_are_rejected_by_the_command_line()
    {
        Assert.That(Tool.Run("summary", "--depth", "0", Shop).ExitCode, Is.Not.EqualTo(0));
        Assert.That(Tool.Run("export", "--format", "svg", Shop).ExitCode, Is.Not.EqualTo(0));
        Tool.Result list = Tool.Run("list", "--min-duration", "soon", Shop);
        Assert.That(list.ExitCode, Is.EqualTo(2));
        Assert.That(list.Error, Does.Contain("'soon' is not a duration"));
    }

    static string Scrub(string text) => text.Replace(Shop, "shop.rec");
}
