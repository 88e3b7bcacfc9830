using Evok.Orleans.TestSupport;

namespace Evok.Orleans.BrowserTests;

/// <summary>
/// Unipi's own web page (<c>UniPiTechnology/evok-web-jq</c>: <c>www/</c> and its <c>nginx-site.conf</c>), as test data:
/// it is never copied into this repository or the product. Found in <c>EVOK_WEB_JQ</c> (a checkout), else in the
/// snapshot the search tool's <c>fetch github:UniPiTechnology/evok-web-jq</c> leaves on the machine
/// (<c>/work/.mirror/UniPiTechnology+evok-web-jq/repo</c>, a bare git directory), unpacked into a temporary folder.
/// </summary>
internal static class EvokWebJq
{
    private const string Snapshot = "/work/.mirror/UniPiTechnology+evok-web-jq/repo";

    /// <summary>A folder holding <c>www/</c> and <c>nginx-site.conf</c>; the caller deletes it when it was unpacked.</summary>
    public static async Task<(string Folder, bool Unpacked)> LocateAsync()
    {
        if (Environment.GetEnvironmentVariable("EVOK_WEB_JQ") is { Length: > 0 } checkout)
        {
            return (checkout, false);
        }

        if (!Directory.Exists(Snapshot))
        {
            throw new InvalidOperationException(
                $"Unipi's page (UniPiTechnology/evok-web-jq) is not on this machine: set EVOK_WEB_JQ to a checkout, or fetch the repository with the search tool (it lands in {Snapshot}). See docs/testing.md.");
        }

        var folder = Directory.CreateTempSubdirectory("evok-web-jq-").FullName;
        var archive = Path.Combine(folder, "page.tar");
        var git = await ExternalProcess.RunAsync("git", ["--git-dir", Snapshot, "archive", "--format=tar", "-o", archive, "HEAD", "www", "nginx-site.conf"], TimeSpan.FromSeconds(60));
        var tar = git.ExitCode == 0 ? await ExternalProcess.RunAsync("tar", ["-xf", archive, "-C", folder], TimeSpan.FromSeconds(60)) : git;
        if (tar.ExitCode != 0)
        {
            throw new InvalidOperationException($"unpacking {Snapshot} failed: {tar.Error}");
        }

        File.Delete(archive);
        return (folder, true);
    }
}
