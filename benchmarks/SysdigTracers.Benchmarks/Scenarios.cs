using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using SysdigTracers;
using SysdigTracers.Infrastructure;

namespace SysdigTracers.Benchmarks;

/// <summary>
/// The measured operations, shared by the BenchmarkDotNet run and the --quick harness. The woven shapes mirror what
/// SysdigTracers.Fody emits: one check of <see cref="Tracer.Enabled"/>, then the MethodTracer calls.
/// </summary>
public static unsafe partial class Scenarios
{
    public const int Id = 42;
    public const string Name = "order-17";

    private static readonly MethodTracer NoArgs = new("Bench.NoArgs");
    private static readonly MethodTracer TwoArgs = new("Bench.TwoArgs", new[] { "id", "name" });

    // The same bytes the runtime writes, for the floor.
    private static readonly byte[] NoArgsEnter = Encoding.UTF8.GetBytes(">:t:Bench.NoArgs::");
    private static readonly byte[] NoArgsExit = Encoding.UTF8.GetBytes("<:t:Bench.NoArgs::");
    private static readonly byte[] TwoArgsEnter = Encoding.UTF8.GetBytes($">:t:Bench.TwoArgs:id={Id},name={Name}:");
    private static readonly byte[] TwoArgsExit = Encoding.UTF8.GetBytes("<:t:Bench.TwoArgs::");

    private static int s_floorFd = -1;

    /// <summary>Opens the floor's own /dev/null descriptor, the way the runtime does.</summary>
    public static void Setup()
    {
        if (s_floorFd < 0)
        {
            fixed (byte* path = "/dev/null\0"u8)
            {
                s_floorFd = Open(path, 0x1 | 0x80000);
            }

            if (s_floorFd < 0)
            {
                throw new InvalidOperationException("cannot open /dev/null");
            }
        }

        Tracer.Enabled = true;
    }

    /// <summary>Floor: one plain P/Invoke write(2) of the enter bytes, one of the exit bytes.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void FloorNoArgs()
    {
        FloorEnter();
        FloorExit();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FloorEnter()
    {
        fixed (byte* enter = NoArgsEnter)
        {
            Write(s_floorFd, enter, NoArgsEnter.Length);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FloorExit()
    {
        fixed (byte* exit = NoArgsExit)
        {
            Write(s_floorFd, exit, NoArgsExit.Length);
        }
    }

    /// <summary>Floor for the two-argument tracers: the already formatted bytes, written twice.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void FloorTwoArgs()
    {
        fixed (byte* enter = TwoArgsEnter)
        {
            Write(s_floorFd, enter, TwoArgsEnter.Length);
        }

        fixed (byte* exit = TwoArgsExit)
        {
            Write(s_floorFd, exit, TwoArgsExit.Length);
        }
    }

    /// <summary>A woven method without arguments: enter and exit through MethodTracer.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void SpanNoArgs()
    {
        bool traced = Tracer.Enabled;
        if (traced)
        {
            NoArgs.Enter();
        }

        try
        {
            Body();
        }
        finally
        {
            if (traced)
            {
                NoArgs.Exit(null);
            }
        }
    }

    /// <summary>A woven method with an int and a string argument.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void SpanTwoArgs(int id, string name)
    {
        bool traced = Tracer.Enabled;
        if (traced)
        {
            TracerArgs args = TwoArgs.BeginEnter(0);
            args.Add(id);
            args.Add(name);
            args.Write();
        }

        try
        {
            Body();
        }
        finally
        {
            if (traced)
            {
                TwoArgs.Exit(null);
            }
        }
    }

    /// <summary>A woven method while <see cref="Tracer.Enabled"/> is false: the one branch.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Disabled()
    {
        bool traced = Tracer.Enabled;
        if (traced)
        {
            NoArgs.Enter();
        }

        try
        {
            Body();
        }
        finally
        {
            if (traced)
            {
                NoArgs.Exit(null);
            }
        }
    }

    /// <summary>The same method without weaving.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void EmptyCall() => Body();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Body()
    {
    }

    [LibraryImport("libc", EntryPoint = "open")]
    private static partial int Open(byte* path, int flags);

    [LibraryImport("libc", EntryPoint = "write")]
    private static partial nint Write(int fd, byte* buffer, nint count);
}
