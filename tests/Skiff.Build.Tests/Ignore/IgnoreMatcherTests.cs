using Skiff.Build.Ignore;

namespace Skiff.Build.Tests.Ignore;

/// <summary>.dockerignore rules (moby/patternmatcher): the documented examples and the corners.</summary>
public class IgnoreMatcherTests
{
    [Theory]
    // The reference's example file
    [InlineData("# comment\n*/temp*\n*/*/temp*\ntemp?", "somedir/temporary.txt", true)]
    [InlineData("# comment\n*/temp*\n*/*/temp*\ntemp?", "somedir/temp", true)]
    [InlineData("# comment\n*/temp*\n*/*/temp*\ntemp?", "somedir/subdir/temporary.txt", true)]
    [InlineData("# comment\n*/temp*\n*/*/temp*\ntemp?", "tempa", true)]
    [InlineData("# comment\n*/temp*\n*/*/temp*\ntemp?", "tempab", false)]
    [InlineData("# comment\n*/temp*\n*/*/temp*\ntemp?", "temporary.txt", false)]
    [InlineData("# comment\n*/temp*\n*/*/temp*\ntemp?", "a/b/c/temp", false)]
    [InlineData("# comment\n*/temp*\n*/*/temp*\ntemp?", "comment", false)]
    // ** any number of directories, including none
    [InlineData("**/*.go", "main.go", true)]
    [InlineData("**/*.go", "a/b/c/main.go", true)]
    [InlineData("**/*.go", "a/b/c/main.gox", false)]
    [InlineData("a/**/b", "a/b", true)]
    [InlineData("a/**/b", "a/x/y/b", true)]
    [InlineData("a/**", "a/x/y", true)]
    [InlineData("a/**", "a", false)]
    [InlineData("**", "anything/at/all", true)]
    // * and ? do not cross /
    [InlineData("*.md", "README.md", true)]
    [InlineData("*.md", "docs/README.md", false)]
    [InlineData("?.txt", "a.txt", true)]
    [InlineData("?.txt", "ab.txt", false)]
    [InlineData("a?b", "a/b", false)]
    // a pattern matching a directory excludes what is inside
    [InlineData("node_modules", "node_modules/x/y.js", true)]
    [InlineData("build/", "build/out.o", true)]
    [InlineData("/build", "build/out.o", true)]
    [InlineData("./build/../build", "build", true)]
    [InlineData("build", "sub/build", false)]
    // character classes and escapes
    [InlineData("[abc].txt", "b.txt", true)]
    [InlineData("[abc].txt", "d.txt", false)]
    [InlineData("[^a].txt", "b.txt", true)]
    [InlineData("[a-c]x", "bx", true)]
    [InlineData("\\*.txt", "*.txt", true)]
    [InlineData("\\*.txt", "a.txt", false)]
    [InlineData("a.b", "axb", false)]                     // . is literal
    [InlineData("a+(b)", "a+(b)", true)]
    // exceptions: the last matching pattern decides
    [InlineData("*.md\n!README.md", "README.md", false)]
    [InlineData("*.md\n!README.md", "CHANGES.md", true)]
    [InlineData("*.md\n!README*.md\nREADME-secret.md", "README-secret.md", true)]
    [InlineData("*.md\n!README*.md\nREADME-secret.md", "README-public.md", false)]
    [InlineData("!README.md\n*.md", "README.md", true)]
    [InlineData("docs\n!docs/keep.txt", "docs/keep.txt", false)]
    [InlineData("docs\n!docs/keep.txt", "docs/drop.txt", true)]
    [InlineData("*\n!src", "src/a/b.c", false)]
    [InlineData("*\n!src", "other", true)]
    [InlineData("  spaced.txt  ", "spaced.txt", true)]
    [InlineData("#notcomment\n #stillpattern", " #stillpattern", false)]
    [InlineData(" #stillpattern", "#stillpattern", true)]
    public void Matches(string ignoreFile, string path, bool excluded) =>
        Assert.Equal(excluded, IgnoreMatcher.Parse(ignoreFile).Matches(path));

    [Fact]
    public void ReadPatternsNormalises()
    {
        Assert.Equal(["a", "!b/c", "d", "..", "/"], IgnoreMatcher.ReadPatterns("\uFEFF/a/\n# x\n\n ! /b//c/ \r\n./d/.\n../\n/"));
    }

    [Fact]
    public void BadPatterns()
    {
        Assert.Throws<FormatException>(() => IgnoreMatcher.Parse("!"));
        Assert.Contains("syntax error in pattern", Assert.Throws<FormatException>(() => IgnoreMatcher.Parse("a[b")).Message);
    }

    [Theory]
    [InlineData("node_modules", "node_modules", true)]
    [InlineData("node_modules\n!keep.txt", "node_modules", true)]              // the exception cannot match inside
    [InlineData("node_modules\n!node_modules/keep", "node_modules", false)]
    [InlineData("node_modules\n!*/keep", "node_modules", false)]
    [InlineData("node_modules\n!**/keep", "node_modules", false)]
    [InlineData("a\n!a/b/c", "a/x", true)]
    [InlineData("a\n!a/b/c", "a/b", false)]
    [InlineData("src", "lib", false)]                                           // not excluded at all
    [InlineData("*\n!src", "src", false)]
    public void CanSkipDirectory(string ignoreFile, string dir, bool skip) =>
        Assert.Equal(skip, IgnoreMatcher.Parse(ignoreFile).CanSkipDirectory(dir));

    [Fact]
    public void ParentStateGivesTheSameAnswers()
    {
        var m = IgnoreMatcher.Parse("a\n!a/b/**/*.txt\n**/tmp\nx/*/y");
        string[] paths = ["a", "a/b", "a/b/c", "a/b/c/d.txt", "a/b/c/d.bin", "q", "q/tmp", "q/tmp/z", "x", "x/1", "x/1/y", "x/1/y/z", "x/1/2", "x/1/2/y"];
        var states = new Dictionary<string, IgnoreMatcher.MatchState>();
        foreach (var p in paths)
        {
            int slash = p.LastIndexOf('/');
            var parent = slash < 0 ? null : states[p[..slash]];
            var s = m.Match(p, parent);
            states[p] = s;
            Assert.True(m.Matches(p) == s.Excluded, p + ": " + m.Matches(p) + " vs " + s.Excluded);
        }
        Assert.False(states["a/b/c/d.txt"].Excluded);
        Assert.True(states["a/b/c/d.bin"].Excluded);
        Assert.True(states["x/1/y/z"].Excluded);
        Assert.False(states["x/1/2/y"].Excluded);
    }

    [Fact]
    public void WalkSkipsExcludedDirectoriesAndKeepsParentsOfExceptions()
    {
        string root = Directory.CreateTempSubdirectory("build-parser-walk-").FullName;
        try
        {
            foreach (var f in new[] { "a/b/x.txt", "a/y.md", "c/z", "keep.txt", "node_modules/m/i.js", "Dockerfile" })
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(root, f))!);
                File.WriteAllText(Path.Combine(root, f), f);
            }
            File.CreateSymbolicLink(Path.Combine(root, "link"), "/etc/passwd");
            var m = IgnoreMatcher.Parse("a\n!a/b/x.txt\nnode_modules\nDockerfile");
            var got = ContextWalk.Enumerate(root, m).Select(e => e.Path + (e.IsDirectory ? "/" : e.IsSymlink ? "@" : "")).ToList();
            Assert.Equal(["a/", "a/b/", "a/b/x.txt", "c/", "c/z", "keep.txt", "link@"], got);
        }
        finally { Directory.Delete(root, true); }
    }

    [Fact]
    public void LargeContextWalkIsFast()
    {
        string root = Directory.CreateTempSubdirectory("build-parser-walk-").FullName;
        try
        {
            for (int d = 0; d < 40; d++)
                for (int f = 0; f < 100; f++)
                {
                    string dir = Path.Combine(root, d % 2 == 0 ? "src" : "node_modules", "d" + d);
                    Directory.CreateDirectory(dir);
                    File.WriteAllText(Path.Combine(dir, $"f{f}.{(f % 3 == 0 ? "md" : "c")}"), "");
                }
            var m = IgnoreMatcher.Parse("node_modules\n**/*.md\n!src/d0/f0.md");
            var sw = System.Diagnostics.Stopwatch.StartNew();
            var got = ContextWalk.Enumerate(root, m).Where(e => !e.IsDirectory).ToList();
            sw.Stop();
            // 20 src dirs x 100 files, minus the .md ones (34 per dir), plus the one exception.
            Assert.Equal(20 * 66 + 1, got.Count);
            Assert.DoesNotContain(got, e => e.Path.StartsWith("node_modules", StringComparison.Ordinal));
            Console.WriteLine($"walk of 4000 files with 3 patterns: {sw.ElapsedMilliseconds} ms");
        }
        finally { Directory.Delete(root, true); }
    }
}
