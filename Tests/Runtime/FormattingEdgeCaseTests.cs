using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using System.Linq;
using System.Text;
using NUnit.Framework;
using SysdigTracers;
using SysdigTracers.Infrastructure;
using SysdigTracers.Internal;

namespace Tests.Runtime;

/// <summary>Edge cases of formatting, caps and the echo: each test failed before the fix that came with it.</summary>
public class FormattingEdgeCaseTests
{
    // A name over the 256-byte cap made MethodTracer store an empty "name=" (so the value was written without a
    // name, which sysdig rejects and which poisons the descriptor), and made span arguments vanish.
    [Test]
    public void Argument_names_over_the_cap_are_cut_not_dropped()
    {
        string name = new string('n', 255) + "\u00e9\u00e9" + new string('x', 40);
        string capped = new string('n', 255);
        var method = new MethodTracer("m", new[] { name, "b" });
        using var capture = TracerRecording.Start();
        TracerArgs args = method.BeginEnter(0);
        args.Add(1);
        args.Add(2);
        args.Write();
        Assert.That(capture.Single().Args.Select(a => a.Key + "=" + a.Value), Is.EqualTo(new[] { capped + "=1", "b=2" }));

        capture.Clear();
        Tracer.Begin("t").Arg(name, 1).Arg("b", 2).Start();
        Assert.That(capture.Single().Args.Select(a => a.Key + "=" + a.Value), Is.EqualTo(new[] { capped + "=1", "b=2" }));
    }

    // When the 1024-byte tag budget ran out just before a multi-byte character, the '.' before it was still written:
    // a trailing empty tag ("a.b.:"), which the runtime promises never to emit and which no exit could be told from.
    [Test]
    public void No_empty_tag_when_the_budget_ends_before_a_multi_byte_character()
    {
        string root = new string('a', 1021);
        using var capture = TracerRecording.Start();
        new MethodTracer(root + "b." + "\u00e9").Enter();
        using (TracerSpan span = Tracer.Start(root))
        {
            using (span.Child("\ud83d\ude00"))
            {
            }

            using (span.Child("c"))
            {
            }
        }

        ParsedTracer[] parsed = capture.TracerBytes.Select(ReferenceTracerParser.Parse).ToArray();
        Assert.That(parsed.Select(p => p.Status), Is.All.EqualTo(TracerParseStatus.Complete));
        Assert.That(parsed.Select(p => p.Tags.Last()), Is.EqualTo(new[] { root + "b", root, root, root, "c", "c", root }));
        Assert.That(parsed.Select(p => string.Join(".", p.Tags).Length), Is.All.LessThanOrEqualTo(1024));
    }

    // The echo file was opened without O_NONBLOCK: SYSDIG_TRACERS_ECHO naming a FIFO with no reader blocked the first
    // traced call forever, inside open(2).
    [Test]
    public void Echo_to_a_fifo_without_a_reader_does_not_block()
    {
        Assume.That(OperatingSystem.IsLinux(), "Linux only");
        string path = Path.Combine(Path.GetTempPath(), "sysdig-echo-fifo-" + Guid.NewGuid().ToString("N"));
        using (Process mkfifo = Process.Start("mkfifo", path))
        {
            mkfifo.WaitForExit();
            Assume.That(mkfifo.ExitCode, Is.EqualTo(0), "mkfifo");
        }

        try
        {
            using var capture = TracerRecording.Start();
            Echo.Configure(path);
            Task traced = Task.Run(() => new MethodTracer("echo.fifo").Enter());
            bool returned = traced.Wait(TimeSpan.FromSeconds(5));
            if (!returned)
            {
                // Let the blocked open complete so that the test run can go on.
                using var reader = new FileStream(path, FileMode.Open, FileAccess.Read);
                traced.Wait(TimeSpan.FromSeconds(5));
            }

            Assert.That(returned, "the traced call returned while the FIFO had no reader");
            Assert.That(capture.Tracers, Is.EqualTo(new[] { ">:t:echo.fifo::" }));
        }
        finally
        {
            Echo.Configure(null);
            File.Delete(path);
        }
    }

    // A DateTime or DateTimeOffset in a Nullable<T> (or boxed) went through IFormattable with no format, giving
    // "01/02/2024 03:04:05" instead of the ISO 8601 form the README promises for dates.
    [Test]
    public void Nullable_and_boxed_dates_are_written_like_dates()
    {
        var date = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        var offset = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(2));
        using var capture = TracerRecording.Start();
        Tracer.Begin("t").Arg("a", (DateTime?)date).Arg("b", (object)date)
            .Arg("c", (DateTimeOffset?)offset).Arg("d", (object)offset).Arg("e", (TimeSpan?)TimeSpan.FromSeconds(90)).Start();
        Assert.That(capture.Single().Args.Select(a => a.Value), Is.EqualTo(new[]
        {
            "2024-01-02T03:04:05.0000000Z", "2024-01-02T03:04:05.0000000Z",
            "2024-01-02T03:04:05.0000000+02:00", "2024-01-02T03:04:05.0000000+02:00", "00:01:30",
        }));
    }

    // "The value that reaches the limit is cut and later arguments are dropped": a number or literal that did not fit
    // was written empty and a later, shorter argument still got in after it (likewise after an argument whose name did
    // not fit, and after a value cut before a multi-byte character), so sysdig read a wrong value and out-of-order data.
    [Test]
    public void After_a_cut_or_dropped_argument_later_arguments_are_dropped()
    {
        var method = new MethodTracer("t", new[] { "a", "n", "b" });
        using var capture = TracerRecording.Start();
        Tracer.Begin("t").Arg("a", new string('x', 4077)).Arg("n", long.MaxValue).Arg("b", 1).Start();
        Tracer.Begin("t").Arg("a", new string('x', 4077)).Arg("n", false).Arg("b", 1).Start();
        Tracer.Begin("t").Arg("a", new string('x', 4000)).Arg(new string('N', 200), 5).Arg("b", 1).Start();
        Tracer.Begin("t").Arg("a", new string('x', 4084) + "\ud83d\ude00").Arg("b", "bbb").Start();
        TracerArgs args = method.BeginEnter(0);
        args.Add(new string('x', 4077));
        args.Add(long.MaxValue);
        args.Add(1);
        args.Write();
        using (TracerSpan span = Tracer.Start("t"))
        {
            span.Arg("a", new string('x', 4077)).Arg("n", 1.0 / 3).Arg("b", 1);
        }

        foreach (byte[] tracer in capture.TracerBytes)
        {
            ParsedTracer parsed = ReferenceTracerParser.Parse(tracer);
            Assert.That(parsed.Status, Is.EqualTo(TracerParseStatus.Complete), () => parsed.Reason);
            Assert.That(parsed.Args.Select(a => a.Key), Does.Not.Contain("b"), () => Encoding.UTF8.GetString(tracer).Substring(3900));
        }

        Assert.That(capture.TracerBytes, Has.Count.EqualTo(7));
    }

    // The FIFO fix above opened the echo with O_NONBLOCK and left it so: a line longer than PIPE_BUF (a 4096-byte
    // tracer and its newline) written to a pipe with less room could be cut short, and the next line glued to it.
    [Test]
    public void Echo_to_a_fifo_with_a_reader_writes_whole_lines()
    {
        Assume.That(OperatingSystem.IsLinux(), "Linux only");
        string path = Path.Combine(Path.GetTempPath(), "sysdig-echo-fifo-" + Guid.NewGuid().ToString("N"));
        using (Process mkfifo = Process.Start("mkfifo", path))
        {
            mkfifo.WaitForExit();
            Assume.That(mkfifo.ExitCode, Is.EqualTo(0), "mkfifo");
        }

        try
        {
            // Opened non-blocking so that it does not wait for the writer; the writer's open then finds a reader.
            using var reader = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(
                OpenReader(path), ownsHandle: true), FileAccess.Read, 1);
            using var capture = TracerRecording.Start();
            Echo.Configure(path);
            const int Lines = 40;
            Task writer = Task.Run(() =>
            {
                for (int i = 0; i < Lines; i++)
                {
                    Tracer.Begin("t").Arg("v", new string((char)('a' + (i % 26)), 5000)).Start();
                }
            });

            // Read slowly at first, so that the pipe (64 KiB) fills up while the writer goes on.
            Thread.Sleep(500);
            var received = new MemoryStream();
            byte[] chunk = new byte[1000];
            while (received.Length < Lines * 4097L)
            {
                int read;
                try
                {
                    read = reader.Read(chunk, 0, chunk.Length);
                }
                catch (IOException)
                {
                    read = -1;
                }

                if (read <= 0)
                {
                    if (writer.IsCompleted)
                    {
                        break;
                    }

                    Thread.Sleep(5);
                    continue;
                }

                received.Write(chunk, 0, read);
            }

            Assert.That(writer.Wait(TimeSpan.FromSeconds(10)), "the writer finished");
            string[] lines = Encoding.UTF8.GetString(received.ToArray()).Split('\n');
            Assert.That(lines.Take(Lines), Is.EqualTo(capture.Tracers));
        }
        finally
        {
            Echo.Configure(null);
            File.Delete(path);
        }
    }

    private static IntPtr OpenReader(string path)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(path + "\0");
        int fd = OpenNative(bytes, 0x800 /* O_RDONLY | O_NONBLOCK */);
        Assume.That(fd, Is.GreaterThanOrEqualTo(0), "open the FIFO for reading");
        return (IntPtr)fd;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "open")]
    private static extern int OpenNative(byte[] path, int flags);
}
