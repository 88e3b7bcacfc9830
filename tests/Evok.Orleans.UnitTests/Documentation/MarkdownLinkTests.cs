using System.Text.RegularExpressions;
using Evok.Orleans.TestSupport;

namespace Evok.Orleans.UnitTests.Documentation;

/// <summary>The README and the pages under docs/ link to files that exist, so a newcomer never follows a dead link.</summary>
public sealed partial class MarkdownLinkTests
{
    public static TheoryData<string> Pages() => new(PagePaths());

    /// <summary>README.md and every page under docs/, relative to the repository.</summary>
    private static IEnumerable<string> PagePaths() =>
        ["README.md", .. Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "docs"), "*.md").Order(StringComparer.Ordinal).Select(page => Path.GetRelativePath(RepositoryRoot.Path, page))];

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

    /// <summary>A Markdown link or image: <c>[text](target)</c> or <c>![alt](target)</c>.</summary>
    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex Link();
}
