namespace Evok.Orleans.TestSupport;

/// <summary>The source tree the tests were built from: the folder above their output that holds Evok.Orleans.sln.</summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string> Found = new(() =>
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "Evok.Orleans.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new DirectoryNotFoundException("Evok.Orleans.sln not found above the test output");
    });

    public static string Path => Found.Value;
}
