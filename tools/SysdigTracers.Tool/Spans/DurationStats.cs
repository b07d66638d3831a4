using System;
using System.Collections.Generic;

namespace SysdigTracers.Tool.Spans;

/// <summary>
/// Count, minimum, maximum, mean and 95th percentile of durations in bounded memory: the durations themselves up to
/// <see cref="ExactLimit"/>, then a logarithmic histogram (64 buckets per power of two, so within 1.1%).
/// </summary>
internal sealed class DurationStats
{
    public const int ExactLimit = 10_000;
    const int BucketsPerDoubling = 64;

    List<long>? exact = new();
    long[]? histogram;

    public long Count { get; private set; }

    public long Min { get; private set; } = long.MaxValue;

    public long Max { get; private set; }

    public double Sum { get; private set; }

    public double Mean => Count == 0 ? 0 : Sum / Count;

    /// <summary>Whether <see cref="P95"/> comes from the histogram rather than from the exact durations.</summary>
    public bool IsP95Approximate => exact == null;

    public void Add(long duration)
    {
        Count++;
        Sum += duration;
        Min = Math.Min(Min, duration);
        Max = Math.Max(Max, duration);
        if (exact != null)
        {
            exact.Add(duration);
            if (exact.Count <= ExactLimit)
            {
                return;
            }

            histogram = new long[64 * BucketsPerDoubling + 1];
            foreach (long d in exact)
            {
                histogram[Bucket(d)]++;
            }

            exact = null;
            return;
        }

        histogram![Bucket(duration)]++;
    }

    /// <summary>The nearest-rank 95th percentile: the smallest duration that at least 95% of the spans do not exceed.</summary>
    public long P95
    {
        get
        {
            if (Count == 0)
            {
                return 0;
            }

            long rank = (long)Math.Ceiling(0.95 * Count);
            if (exact != null)
            {
                exact.Sort();
                return exact[(int)rank - 1];
            }

            long seen = 0;
            for (int i = 0; i < histogram!.Length; i++)
            {
                seen += histogram[i];
                if (seen >= rank)
                {
                    return Math.Clamp(UpperBound(i), Min, Max);
                }
            }

            return Max;
        }
    }

    static int Bucket(long duration) => duration <= 1 ? 0 : (int)Math.Ceiling(Math.Log2(duration) * BucketsPerDoubling);

    static long UpperBound(int bucket) => (long)Math.Round(Math.Pow(2, (double)bucket / BucketsPerDoubling));
}
