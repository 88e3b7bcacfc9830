namespace Evok.Orleans.TestSupport;

/// <summary>A program of this solution as built next to the tests (same configuration), run as its own process.</summary>
public sealed class BuiltProgram(string project, string assembly)
{
    public static BuiltProgram Silo { get; } = new(System.IO.Path.Combine("silo", "Evok.Orleans.Silo"), "evok-orleans-silo.dll");

    public static BuiltProgram Cli { get; } = new(System.IO.Path.Combine("src", "Evok.Orleans.Cli"), "evok-orleans.dll");

    private readonly Lazy<string> _path = new(() => Locate(project, assembly));

    /// <summary>The program's dll; located on first use, so a missing program fails only the code that runs it.</summary>
    public string Path => _path.Value;

    public Task<ExternalProcess.Result> RunAsync(TimeSpan timeout, params string[] arguments) =>
        ExternalProcess.RunAsync("dotnet", [Path, .. arguments], timeout);

    public System.Diagnostics.Process Start(params string[] arguments) =>
        ExternalProcess.Start("dotnet", [Path, .. arguments]);

    public System.Diagnostics.Process Start(IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        ExternalProcess.Start("dotnet", [Path, .. arguments], environment);

    private static string Locate(string project, string assembly)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var path = System.IO.Path.Combine(RepositoryRoot.Path, project, "bin", configuration, "net10.0", assembly);
        return File.Exists(path) ? path : throw new FileNotFoundException($"build {project} first", path);
    }
}
