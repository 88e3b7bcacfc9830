using System.Collections;
using System.Runtime.InteropServices;

namespace Evok.Orleans.Silo;

/// <summary>
/// The GC settings the silo is measured and shipped with, also when it is started without the systemd unit
/// (<c>dotnet run</c>, the published program, a container). The runtime reads them only from the environment, never
/// from the runtime config, and only at start: so when one is missing the program sets it and replaces itself with
/// the same program and arguments (<c>execve</c>: same process id, so systemd, a supervisor or a shell still see
/// one process). Measured at 64 boards under load (issue 16, <c>ab DOTNET_GCgen0size=0 DOTNET_GCRegionSize=0</c>):
/// without them 171 MB instead of 151 MB and a point more CPU. A value the user set is kept;
/// <c>EVOK_RUNTIME_DEFAULTS=0</c> leaves the environment alone.
/// </summary>
internal static partial class RuntimeDefaults
{
    private static readonly (string Name, string Value)[] Settings =
    [
        // A 4 MB young generation instead of one sized from the CPU cache (~45 MB of garbage between collections).
        ("DOTNET_GCgen0size", "0x400000"),

        // 1 MB GC regions instead of 4 MB: each generation holds at least one, so a small heap commits less.
        ("DOTNET_GCRegionSize", "0x100000"),
    ];

    /// <summary>Returns when the settings are in force (or cannot be put in force); otherwise the process is replaced.</summary>
    public static void Apply()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("EVOK_RUNTIME_DEFAULTS") == "0"
            || Settings.All(setting => Environment.GetEnvironmentVariable(setting.Name) is not null)
            || Environment.ProcessPath is not { } program)
        {
            return;
        }

        var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .ToDictionary(entry => (string)entry.Key, entry => (string?)entry.Value ?? string.Empty, StringComparer.Ordinal);
        foreach (var (name, value) in Settings)
        {
            environment.TryAdd(name, value);
        }

        // The exact argument vector this process got (for `dotnet silo.dll …` too), each argument ending in NUL.
        var arguments = File.ReadAllText("/proc/self/cmdline").TrimEnd('\0').Split('\0');

        // The runtime's diagnostics socket (dotnet-counters, dotnet-trace) is named after the process id and start
        // time, which the next image keeps: left in place it would stop that image from listening on it.
        foreach (var socket in Directory.EnumerateFiles(Path.GetTempPath(), $"dotnet-diagnostic-{Environment.ProcessId}-*-socket"))
        {
            File.Delete(socket);
        }

        execve(program, [.. arguments, null], [.. environment.Select(pair => $"{pair.Key}={pair.Value}"), null]);

        // Only reached when execve failed (a sandbox that forbids it): run on with the runtime's defaults.
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int execve(string path, string?[] argv, string?[] envp);
}
