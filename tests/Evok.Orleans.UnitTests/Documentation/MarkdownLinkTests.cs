using System.Text.RegularExpressions;
using Evok.Orleans.TestSupport;

namespace Evok.Orleans.UnitTests.Documentation;

/// <summary>
/// Every Markdown page of the repository (README, CONTRIBUTING, docs/, each project's README) links to files that
/// exist, so a newcomer never follows a dead link.
/// </summary>
public sealed partial class MarkdownLinkTests
{
    private static readonly string[] BuildOutput = ["bin", "obj", "artifacts", ".git", "TestResults"];

    public static TheoryData<string> Pages() => new(PagePaths());

    /// <summary>Every .md file outside build output, relative to the repository.</summary>
    private static IEnumerable<string> PagePaths() =>
        Directory.EnumerateFiles(RepositoryRoot.Path, "*.md", SearchOption.AllDirectories)
            .Select(page => Path.GetRelativePath(RepositoryRoot.Path, page))
            .Where(page => !page.Split(Path.DirectorySeparatorChar).Any(part => BuildOutput.Contains(part)))
            .Order(StringComparer.Ordinal);

    [Theory]
    [MemberData(nameof(Pages))]
    public void Every_relative_link_of_a_page_names_a_file_or_folder_that_exists(string page)
    {
        var path = Path.Combine(RepositoryRoot.Path, page);
        var folder = Path.GetDirectoryName(path)!;

        var dead = Link().Matches(File.ReadAllText(path))
            .Select(match => match.Groups["target"].Value)
            .Where(target => !target.Contains("://", StringComparison.Ordinal) && !target.StartsWith('#') && !target.StartsWith("mailto:", StringComparison.Ordinal))
            .Select(target => target.Split('#')[0])
            .Where(target => !File.Exists(Path.Combine(folder, target)) && !Directory.Exists(Path.Combine(folder, target)))
            .ToList();

        Assert.Empty(dead);
    }

    [Fact]
    public void The_readme_is_read_in_five_minutes_and_every_docs_page_is_linked_from_it_or_another_page()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "README.md"));
        var linked = PagePaths()
            .SelectMany(page => Link().Matches(File.ReadAllText(Path.Combine(RepositoryRoot.Path, page))).Select(match => Path.GetFileName(match.Groups["target"].Value.Split('#')[0])))
            .ToHashSet(StringComparer.Ordinal);

        Assert.InRange(readme.Split('\n').Length, 1, 150);
        Assert.All(Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "docs"), "*.md"), page => Assert.Contains(Path.GetFileName(page), linked));
    }

    [Fact]
    public void The_performance_page_holds_the_method_and_the_current_figures_not_the_history_of_every_run()
    {
        Assert.InRange(File.ReadAllLines(Path.Combine(RepositoryRoot.Path, "docs", "performance.md")).Length, 1, 200);
    }

    [Fact]
    public void Every_project_says_in_a_readme_of_its_own_what_it_owns()
    {
        var projects = Directory.GetFiles(RepositoryRoot.Path, "*.csproj", SearchOption.AllDirectories)
            .Select(project => Path.GetDirectoryName(project)!)
            .Where(folder => Path.GetRelativePath(RepositoryRoot.Path, folder).Split(Path.DirectorySeparatorChar)[0] is "src" or "silo");
        Assert.All(projects, folder => Assert.True(File.Exists(Path.Combine(folder, "README.md")), $"{folder} has no README.md"));
    }

    /// <summary>A Markdown link or image: <c>[text](target)</c> or <c>![alt](target)</c>.</summary>
    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex Link();
}
