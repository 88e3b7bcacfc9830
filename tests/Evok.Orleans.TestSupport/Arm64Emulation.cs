using System.Runtime.InteropServices;

namespace Evok.Orleans.TestSupport;

/// <summary>
/// Running the arm64 package's programs on an x86 machine: Debian's qemu-user-static, with Debian's arm64 C libraries
/// from multiarch (<c>libc6:arm64</c> brings the loader <c>/lib/ld-linux-aarch64.so.1</c>).
/// </summary>
public static class Arm64Emulation
{
    /// <summary>Debian's qemu-user-static for AArch64 programs.</summary>
    public const string Emulator = "/usr/bin/qemu-aarch64-static";

    /// <summary>
    /// What .NET needs under qemu only: qemu does not emulate the runtime's double mapping of its code pages (W^X).
    /// </summary>
    public static IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string> { ["DOTNET_EnableWriteXorExecute"] = "0" };

    /// <summary>Whether <paramref name="program"/> is an AArch64 ELF file and this machine cannot run it itself.</summary>
    public static bool IsNeededFor(string program)
    {
        if (RuntimeInformation.ProcessArchitecture == Architecture.Arm64)
        {
            return false;
        }

        // ELF magic, then e_machine (bytes 18-19, little-endian) 0xB7: AArch64.
        var header = new byte[20];
        using var file = File.OpenRead(program);
        return file.Read(header) == header.Length && header[0] == 0x7F && header[1] == 'E' && header[2] == 'L' && header[3] == 'F'
            && header[18] == 0xB7 && header[19] == 0;
    }
}
