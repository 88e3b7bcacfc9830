namespace Evok.Orleans.Benchmarks;

/// <summary>
/// One start of the silo program, timed from its launch: <c>/rest/all</c> answering, the first webhook, every board's
/// initial state delivered, its CPU until then; and, when a window was asked for, its CPU and memory at the window's end.
/// </summary>
internal sealed record StartupFigures(
    TimeSpan RestAll, TimeSpan FirstWebhook, TimeSpan EveryBoard, TimeSpan CpuUntilThen, TimeSpan? CpuInWindow, double? RssMegabytes, double? FileRssMegabytes);
