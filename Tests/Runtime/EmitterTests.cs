using System;
using System.IO;
using System.Linq;
using NUnit.Framework;
using SysdigTracers;
using SysdigTracers.Infrastructure;
using SysdigTracers.Internal;

namespace Tests.Runtime;

/// <summary>The emitter's faults, the echo and the environment settings, in process.</summary>
public class EmitterTests
{
    private static readonly MethodTracer Method = new("Emitter.Test", new[] { "n" });

    [TearDown]
    public void Restore()
    {
        DevNull.UsePathForTests(DevNull.DefaultPath);
        Echo.Configure(null);
    }

    [Test]
    public void The_descriptor_is_dev_null_opened_write_only_close_on_exec()
    {
        Assume.That(OperatingSystem.IsLinux(), "Linux only");
        int fd = DevNull.DescriptorForTests;
        Assert.That(fd, Is.GreaterThanOrEqualTo(0));
        Assert.That(new FileInfo("/proc/self/fd/" + fd).LinkTarget, Is.EqualTo("/dev/null"));
        string info = File.ReadAllText("/proc/self/fdinfo/" + fd);
        int flags = Convert.ToInt32(info.Split('\n').Single(l => l.StartsWith("flags:")).Substring(6).Trim(), 8);
        Assert.That(flags & 0x3, Is.EqualTo(0x1), "O_WRONLY");
        Assert.That(flags & 0x80000, Is.EqualTo(0x80000), "O_CLOEXEC");
    }

    [Test]
    public void Dev_null_unavailable_is_a_silent_no_op()
    {
        using var capture = TracerRecording.Start();
        DevNull.UsePathForTests("/nonexistent-dir/null");
        Assert.DoesNotThrow(() => Emit(1));
        Assert.That(DevNull.DescriptorForTests, Is.EqualTo(-1));
        Assert.DoesNotThrow(() => Emit(2));
        Assert.That(capture.Tracers, Is.EqualTo(new[] { ">:t:Emitter.Test:n=1:", ">:t:Emitter.Test:n=2:" }), "the observer still sees them");
    }

    [Test]
    public void Failing_writes_are_ignored_and_later_calls_still_work()
    {
        Assume.That(File.Exists("/dev/full"), "/dev/full makes every write fail with ENOSPC");
        using var capture = TracerRecording.Start();
        DevNull.UsePathForTests("/dev/full");
        Assert.DoesNotThrow(() => Emit(1));
        Assert.DoesNotThrow(() => Emit(2));
        DevNull.UsePathForTests(DevNull.DefaultPath);
        Assert.DoesNotThrow(() => Emit(3));
        Assert.That(capture.Tracers, Has.Count.EqualTo(3));
    }

    [Test]
    public void A_device_path_that_is_a_regular_file_is_never_written()
    {
        // Only a character device (what /dev/null is) is written; one tracer per write is checked under strace.
        string path = Path.GetTempFileName();
        try
        {
            DevNull.UsePathForTests(path);
            Emit(1);
            Method.Enter(5);
            DevNull.UsePathForTests(DevNull.DefaultPath);
            Assert.That(File.ReadAllText(path), Is.Empty);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Echo_to_a_file_writes_one_tracer_per_line()
    {
        string path = Path.Combine(Path.GetTempPath(), "sysdig-echo-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var capture = TracerRecording.Start();
            Echo.Configure(path);
            Emit(1);
            Emit(2);
            using (Tracer.Start("a\nb").Arg("v", "x\ny"))
            {
            }

            Echo.Configure(null);
            Assert.That(File.ReadAllLines(path), Is.EqualTo(capture.Tracers));
            Assert.That(File.ReadAllText(path), Does.EndWith(":\n"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Echo_failures_do_not_break_tracing()
    {
        using var capture = TracerRecording.Start();
        Echo.Configure("/nonexistent-dir/echo.txt");
        Assert.DoesNotThrow(() => Emit(1));
        Assert.That(capture.Tracers, Has.Count.EqualTo(1));
    }

    [TestCase(null, true)]
    [TestCase("", true)]
    [TestCase("1", true)]
    [TestCase("on", true)]
    [TestCase("0", false)]
    [TestCase("false", false)]
    [TestCase("FALSE", false)]
    [TestCase(" Off ", false)]
    [TestCase("off", false)]
    public void SYSDIG_TRACERS_values(string? value, bool enabled)
    {
        Assert.That(Settings.ParseEnabled(value), Is.EqualTo(enabled));
    }

    private static void Emit(int n)
    {
        TracerArgs args = Method.BeginEnter(0);
        args.Add(n);
        args.Write();
    }
}
