using System.Diagnostics;
using System.Globalization;
using Evok.Orleans.Benchmarks;

// Usage: Evok.Orleans.Benchmarks [--short]
//   --short   a few seconds, for CI (20 flips); the default is the 100 flips the core pipeline issue asks for.
var isShort = args.Contains("--short");
var flips = isShort ? 20 : 100;

var summary = await RelayFlipLatency.RunAsync(flips, scanFrequency: 50);
using var self = Process.GetCurrentProcess();
Console.WriteLine(summary.Format());
Console.WriteLine(string.Create(
    CultureInfo.InvariantCulture,
    $"process: cpu={self.TotalProcessorTime.TotalSeconds:0.00}s peak_rss={self.PeakWorkingSet64 / (1024 * 1024)}MB"));
return summary.Lost == 0 ? 0 : 1;
