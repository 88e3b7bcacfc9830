using System.Globalization;
using System.Text;
using Evok.Orleans.TestSupport;

namespace Evok.Orleans.Benchmarks;

/// <summary>
/// Issue 33, fast start on ARM: the self-contained packages as <c>deploy/package.sh</c> builds them, JIT only
/// (<c>READY_TO_RUN=false</c>, before) and ReadyToRun (after), each unpacked and its silo launched as the unit launches
/// it, on two simulated boards: launch to <c>/rest/all</c> and to the first webhook, CPU seconds of the first minute,
/// memory at the end of it, package size. amd64 runs on this machine, arm64 under Debian's qemu-aarch64-static
/// (emulated: compare the two arm64 rows with each other only). Runs alternate before/after so that a noisy
/// neighbour hurts both.
/// </summary>
internal static class PackageStartupScenario
{
    private const int Boards = 2;
    private static readonly TimeSpan FirstMinute = TimeSpan.FromMinutes(1);

    public static async Task<string> RunAsync(bool isShort)
    {
        var folder = Directory.CreateTempSubdirectory("evok-packages-").FullName;
        try
        {
            var report = new StringBuilder();
            report.AppendLine("| package | build | .deb MB | installed MB | /rest/all s | first webhook s | CPU s, first minute | RSS MB at 1 min (of it files) |");
            report.AppendLine("|---|---|---|---|---|---|---|---|");
            foreach (var architecture in new[] { "amd64", "arm64" })
            {
                var builds = new List<(string Build, string Package, string Program)>();
                foreach (var readyToRun in new[] { false, true })
                {
                    var package = await BuildAsync(architecture, readyToRun, Path.Combine(folder, $"{architecture}-{readyToRun}"));
                    builds.Add((readyToRun ? "ReadyToRun" : "JIT", package, Path.Combine(await UnpackAsync(package), "opt", "evok-orleans", "evok-orleans-silo")));
                }

                var emulated = Arm64Emulation.IsNeededFor(builds[0].Program);
                var settings = SiloSettings.AsShipped with { Environment = emulated ? Arm64Emulation.Environment : new Dictionary<string, string>() };
                var rounds = isShort || emulated ? 1 : 2;
                var figures = builds.ToDictionary(build => build.Build, _ => new List<StartupFigures>());
                for (var round = 0; round < rounds; round++)
                {
                    foreach (var build in builds)
                    {
                        figures[build.Build].Add(await StartupScenario.MeasureAsync(Boards, settings with { Program = build.Program }, FirstMinute));
                    }
                }

                foreach (var build in builds)
                {
                    var runs = figures[build.Build];
                    var installed = await InstalledKilobytesAsync(build.Package);
                    report.AppendLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {architecture}{(emulated ? " (qemu)" : string.Empty)} | {build.Build} | {new FileInfo(build.Package).Length / 1e6:0.0} | {installed / 1024.0:0} | {Range(runs, run => run.RestAll.TotalSeconds)} | {Range(runs, run => run.FirstWebhook.TotalSeconds)} | {Range(runs, run => run.CpuInWindow!.Value.TotalSeconds)} | {Range(runs, run => run.RssMegabytes!.Value, "0")} ({Range(runs, run => run.FileRssMegabytes!.Value, "0")}) |"));
                }
            }

            return $"package start-up, {Boards} boards, launch to answer (each figure: the runs' lowest–highest):\n{report}";
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string Range(List<StartupFigures> runs, Func<StartupFigures, double> figure, string format = "0.00")
    {
        var (low, high) = (runs.Min(figure), runs.Max(figure));
        return low.ToString(format, CultureInfo.InvariantCulture) + (runs.Count > 1 ? "–" + high.ToString(format, CultureInfo.InvariantCulture) : string.Empty);
    }

    private static async Task<string> BuildAsync(string architecture, bool readyToRun, string output)
    {
        var built = await ExternalProcess.RunAsync(
            Path.Combine(RepositoryRoot.Path, "deploy", "package.sh"), [architecture, output], TimeSpan.FromMinutes(15),
            new Dictionary<string, string> { ["READY_TO_RUN"] = readyToRun ? "true" : "false" });
        return built.ExitCode == 0 ? built.Output.Trim() : throw new InvalidOperationException($"package.sh {architecture}: {built.Error}");
    }

    private static async Task<string> UnpackAsync(string package)
    {
        var root = Path.Combine(Path.GetDirectoryName(package)!, "root");
        var unpacked = await ExternalProcess.RunAsync("dpkg-deb", ["-x", package, root], TimeSpan.FromMinutes(2));
        return unpacked.ExitCode == 0 ? root : throw new InvalidOperationException($"dpkg-deb -x {package}: {unpacked.Error}");
    }

    private static async Task<long> InstalledKilobytesAsync(string package)
    {
        var field = await ExternalProcess.RunAsync("dpkg-deb", ["-f", package, "Installed-Size"], TimeSpan.FromMinutes(1));
        return long.Parse(field.Output.Trim(), CultureInfo.InvariantCulture);
    }
}
