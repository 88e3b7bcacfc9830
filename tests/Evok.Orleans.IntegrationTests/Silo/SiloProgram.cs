using Evok.Orleans.TestSupport;

namespace Evok.Orleans.IntegrationTests.Silo;

/// <summary>Runs the built silo program (evok-orleans-silo.dll) as its own process, as a user would.</summary>
internal static class SiloProgram
{
    public static string Path { get; } = Locate();

    public static Task<ExternalProcess.Result> RunAsync(TimeSpan timeout, params string[] arguments) =>
        ExternalProcess.RunAsync("dotnet", [Path, .. arguments], timeout);

    public static System.Diagnostics.Process Start(params string[] arguments) =>
        ExternalProcess.Start("dotnet", [Path, .. arguments]);

    private static string Locate()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "Evok.Orleans.sln")))
        {
            directory = directory.Parent;
        }

        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var path = System.IO.Path.Combine(
            directory?.FullName ?? throw new DirectoryNotFoundException("Evok.Orleans.sln not found above the test output"),
            "silo", "Evok.Orleans.Silo", "bin", configuration, "net10.0", "evok-orleans-silo.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("build the silo first", path);
    }
}
