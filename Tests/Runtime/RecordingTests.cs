using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;
using SysdigTracers;
using SysdigTracers.Internal;

namespace Tests.Runtime;

/// <summary>The recording (SYSDIG_TRACERS_RECORD) and whole echo lines on files and pipes, under threads.</summary>
[NonParallelizable]
public class RecordingTests
{
    private const int Threads = 4;
    private const int TracersPerThread = 250;

    [TearDown]
    public void Restore()
    {
        Echo.Configure(null);
        RecordingFile.Configure(null);
    }

    [Test]
    public void A_recording_line_is_time_pid_tid_and_the_tracer_byte_for_byte()
    {
        string path = TempPath();
        try
        {
            using var capture = new TracerCapture();
            RecordingFile.Configure(path);
            long before = NowNanoseconds();
            using (Tracer.Start("rec.a").Arg("v", "x y\tz,=é"))
            {
            }

            long after = NowNanoseconds();
            RecordingFile.Configure(null);
            byte[] file = File.ReadAllBytes(path);
            string[] lines = Encoding.UTF8.GetString(file).Split('\n');
            Assert.That(lines[0], Is.EqualTo("# sysdig-tracers recording 1"));
            Assert.That(lines[^1], Is.Empty, "the file ends with a newline");
            string[] records = lines.Skip(1).Take(lines.Length - 2).ToArray();
            Assert.That(records.Select(l => l.Split(' ', 4)[3]), Is.EqualTo(capture.Texts));
            foreach (string line in records)
            {
                string[] fields = line.Split(' ', 4);
                long time = long.Parse(fields[0]);
                Assert.That(time, Is.InRange(before - 1_000_000, after + 1_000_000), "wall-clock nanoseconds");
                Assert.That(int.Parse(fields[1]), Is.EqualTo(Environment.ProcessId));
                Assert.That(int.Parse(fields[2]), Is.EqualTo(GetThreadId()));
            }

            Assert.That(long.Parse(records[1].Split(' ')[0]), Is.GreaterThanOrEqualTo(long.Parse(records[0].Split(' ')[0])));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Tracers_still_go_to_dev_null_and_the_echo_while_recording()
    {
        string record = TempPath();
        string echo = TempPath();
        try
        {
            using var capture = new TracerCapture();
            RecordingFile.Configure(record);
            Echo.Configure(echo);
            Tracer.Start("rec.both").Dispose();
            RecordingFile.Configure(null);
            Echo.Configure(null);
            Assert.That(File.ReadAllLines(echo), Is.EqualTo(capture.Texts));
            Assert.That(File.ReadAllLines(record).Skip(1).Select(l => l.Split(' ', 4)[3]), Is.EqualTo(capture.Texts));
        }
        finally
        {
            File.Delete(record);
            File.Delete(echo);
        }
    }

    [Test]
    public void A_recording_that_cannot_be_opened_changes_nothing()
    {
        using var capture = new TracerCapture();
        RecordingFile.Configure("/nonexistent-dir/recording.txt");
        Assert.DoesNotThrow(() => Tracer.Start("rec.fail").Dispose());
        Assert.That(capture.Texts, Has.Count.EqualTo(2));
    }

    [Test]
    public void Recording_lines_from_several_threads_to_a_file_are_whole()
    {
        string path = TempPath();
        try
        {
            using var capture = new TracerCapture();
            RecordingFile.Configure(path);
            WriteLongTracersOnThreads();
            RecordingFile.Configure(null);
            string[] lines = File.ReadAllText(path).Split('\n');
            Assert.That(lines[0], Is.EqualTo("# sysdig-tracers recording 1"));
            AssertSameLines(lines.Skip(1).Select(l => l.Split(' ', 4).Last()), capture.Texts);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Echo_lines_from_several_threads_to_a_pipe_are_whole()
    {
        using var capture = new TracerCapture();
        string text = ThroughFifo(path => Echo.Configure(path), () => Echo.Configure(null));
        AssertSameLines(text.Split('\n'), capture.Texts);
    }

    [Test]
    public void Recording_lines_from_several_threads_to_a_pipe_are_whole()
    {
        using var capture = new TracerCapture();
        string text = ThroughFifo(path => RecordingFile.Configure(path), () => RecordingFile.Configure(null));
        string[] lines = text.Split('\n');
        Assert.That(lines[0], Is.EqualTo("# sysdig-tracers recording 1"));
        AssertSameLines(lines.Skip(1).Select(l => l.Split(' ', 4).Last()), capture.Texts);
    }

    /// <summary>
    /// Makes a FIFO, reads it on a thread of its own until the writer closes it, and writes long tracers into it from
    /// several threads through the target that <paramref name="open"/> selects.
    /// </summary>
    private static string ThroughFifo(Action<string> open, Action close)
    {
        Assume.That(OperatingSystem.IsLinux(), "Linux only");
        string path = TempPath();
        using (Process mkfifo = Process.Start("mkfifo", path))
        {
            mkfifo.WaitForExit();
            Assume.That(mkfifo.ExitCode, Is.EqualTo(0), "mkfifo");
        }

        try
        {
            int fd = OpenNative(Encoding.UTF8.GetBytes(path + "\0"), 0x800 /* O_RDONLY | O_NONBLOCK */);
            Assume.That(fd, Is.GreaterThanOrEqualTo(0), "open the FIFO for reading");
            var received = new MemoryStream();
            open(path);

            // The first tracer opens the writer's end; from then on the reader may block.
            SysdigTracers.Tracer.Begin("fifo.open").Start();
            Assert.That(FcntlSetFlags(fd, 4 /* F_SETFL */, 0), Is.EqualTo(0));
            Task reader = Task.Run(() =>
            {
                using var stream = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle((IntPtr)fd, true), FileAccess.Read, 1);
                byte[] chunk = new byte[1000];
                int read;
                while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
                {
                    received.Write(chunk, 0, read);

                    // Reads slowly now and then, so that the pipe fills up and writers wait.
                    if (received.Length % 97 == 0)
                    {
                        Thread.Sleep(1);
                    }
                }
            });

            WriteLongTracersOnThreads();
            close();
            Assert.That(reader.Wait(TimeSpan.FromSeconds(30)), "the reader saw the end of the FIFO");
            return Encoding.UTF8.GetString(received.ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Several threads each write tracers with a 5,000-character argument (cut to a 4096-byte tracer).</summary>
    private static void WriteLongTracersOnThreads()
    {
        using var start = new Barrier(Threads);
        Task[] writers = Enumerable.Range(0, Threads).Select(t => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            for (int i = 0; i < TracersPerThread; i++)
            {
                SysdigTracers.Tracer.Begin("t" + t).Arg("v", new string((char)('a' + t), 5000)).Start();
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        Assert.That(Task.WaitAll(writers, TimeSpan.FromSeconds(60)), "the writers finished");
    }

    private static void AssertSameLines(IEnumerable<string> lines, IReadOnlyList<string> tracers)
    {
        string[] received = lines.Where(l => l.Length > 0).ToArray();
        int corrupted = received.Count(l => !tracers.Contains(l));
        Assert.That(corrupted, Is.EqualTo(0), "lines that are not one whole tracer");
        Assert.That(received.OrderBy(l => l, StringComparer.Ordinal), Is.EqualTo(tracers.OrderBy(l => l, StringComparer.Ordinal)));
        Assert.That(tracers.Count(t => t.Length >= 4096), Is.EqualTo(Threads * TracersPerThread), "tracers at the 4096-byte limit");
    }

    private static string TempPath() => Path.Combine(Path.GetTempPath(), "sysdig-rec-" + Guid.NewGuid().ToString("N"));

    private static long NowNanoseconds() => (DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100;

    [DllImport("libc", EntryPoint = "open")]
    private static extern int OpenNative(byte[] path, int flags);

    [DllImport("libc", EntryPoint = "fcntl")]
    private static extern int FcntlSetFlags(int fd, int command, int flags);

    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int GetThreadId();
}
