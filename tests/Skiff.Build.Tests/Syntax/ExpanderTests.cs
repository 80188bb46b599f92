using Skiff.Build.Syntax;

namespace Skiff.Build.Tests.Syntax;

/// <summary>Docker's word expansion (the cases of BuildKit's shell lexer and the Dockerfile reference).</summary>
public class ExpanderTests
{
    private static readonly Dictionary<string, string> Env = new()
    {
        ["PWD"] = "/home",
        ["SHELL"] = "bash",
        ["KOREAN"] = "한국어",
        ["EMPTY"] = "",
        ["FILE"] = "archive.tar.gz",
        ["PATHV"] = "/usr/local/bin:/usr/bin",
        ["SPACED"] = "a  b",
    };

    [Theory]
    [InlineData("hello", "hello")]
    [InlineData("he'll'o", "hello")]
    [InlineData("he'llo", null)]                                  // unmatched single quote
    [InlineData("he\\'llo", "he'llo")]
    [InlineData("he\\\\'llo", null)]
    [InlineData("abc\\\\def", "abc\\def")]
    [InlineData("\"abc\\\\def\"", "abc\\def")]
    [InlineData("\"abc\\def\"", "abc\\def")]                     // backslash before an ordinary char stays in double quotes
    [InlineData("'abc\\\\def'", "abc\\\\def")]                   // single quotes: literal
    [InlineData("\"a'b\"", "a'b")]
    [InlineData("'a\"b'", "a\"b")]
    [InlineData("\"a\\\"b\"", "a\"b")]
    [InlineData("$PWD", "/home")]
    [InlineData("${PWD}", "/home")]
    [InlineData("\\$PWD", "$PWD")]
    [InlineData("'$PWD'", "$PWD")]
    [InlineData("\"$PWD\"", "/home")]
    [InlineData("\"\\$PWD\"", "$PWD")]
    [InlineData("$PWD/x", "/home/x")]
    [InlineData("${PWD}x", "/homex")]
    [InlineData("$PWDx", "")]
    [InlineData("$UNSET", "")]
    [InlineData("a$", "a$")]
    [InlineData("$.", "$.")]
    [InlineData("$1x", "x")]
    [InlineData("${KOREAN}", "한국어")]
    [InlineData("${UNSET:-default}", "default")]
    [InlineData("${EMPTY:-default}", "default")]
    [InlineData("${EMPTY-default}", "")]
    [InlineData("${UNSET-default}", "default")]
    [InlineData("${PWD:-default}", "/home")]
    [InlineData("${PWD:+alt}", "alt")]
    [InlineData("${EMPTY:+alt}", "")]
    [InlineData("${EMPTY+alt}", "alt")]
    [InlineData("${UNSET+alt}", "")]
    [InlineData("${UNSET:-${SHELL:-x}}", "bash")]                // nested words
    [InlineData("${UNSET:-$SHELL/${PWD}}", "bash//home")]
    [InlineData("${UNSET:-'a b'}", "a b")]
    [InlineData("${UNSET:-\"$SHELL\"}", "bash")]
    [InlineData("${UNSET:-a\\}b}", "a}b")]
    [InlineData("${PWD:?must be set}", "/home")]
    [InlineData("${UNSET:?must be set}", null)]
    [InlineData("${EMPTY:?}", null)]
    [InlineData("${EMPTY?}", "")]
    [InlineData("${UNSET?}", null)]
    [InlineData("${FILE%.*}", "archive.tar")]
    [InlineData("${FILE%%.*}", "archive")]
    [InlineData("${FILE#*.}", "tar.gz")]
    [InlineData("${FILE##*.}", "gz")]
    [InlineData("${FILE#nomatch}", "archive.tar.gz")]
    [InlineData("${PATHV/bin/sbin}", "/usr/local/sbin:/usr/bin")]
    [InlineData("${PATHV//bin/sbin}", "/usr/local/sbin:/usr/sbin")]
    [InlineData("${PATHV//\\//|}", "|usr|local|bin:|usr|bin")]
    [InlineData("${PWD", null)]
    [InlineData("${}", null)]
    [InlineData("${:x}", null)]
    [InlineData("${PWD!x}", null)]
    [InlineData("${PWD:!x}", null)]
    [InlineData("${PWD:#x}", null)]
    [InlineData("${PATHV/bin}", null)]
    [InlineData("\"unterminated", null)]
    [InlineData("$SPACED", "a  b")]
    public void ProcessWord(string word, string? expected)
    {
        var lex = new Expander();
        if (expected is null)
            Assert.Throws<ExpansionException>(() => lex.ProcessWord(word, Env));
        else
            Assert.Equal(expected, lex.ProcessWord(word, Env));
    }

    [Fact]
    public void ErrorMessagesAreDockers()
    {
        var lex = new Expander();
        Assert.Equal("failed to process \"${UNSET:?must be set}\": UNSET: must be set",
            Assert.Throws<ExpansionException>(() => lex.ProcessWord("${UNSET:?must be set}", Env)).Message);
        Assert.Equal("failed to process \"${EMPTY:?}\": EMPTY: is not allowed to be empty",
            Assert.Throws<ExpansionException>(() => lex.ProcessWord("${EMPTY:?}", Env)).Message);
        Assert.Equal("failed to process \"${UNSET?}\": UNSET: is not allowed to be unset",
            Assert.Throws<ExpansionException>(() => lex.ProcessWord("${UNSET?}", Env)).Message);
        Assert.Equal("failed to process \"${PWD\": syntax error: missing '}'",
            Assert.Throws<ExpansionException>(() => lex.ProcessWord("${PWD", Env)).Message);
        Assert.Equal("failed to process \"${}\": syntax error: bad substitution",
            Assert.Throws<ExpansionException>(() => lex.ProcessWord("${}", Env)).Message);
    }

    [Theory]
    [InlineData("`$PWD", "$PWD")]
    [InlineData("a\\b", "a\\b")]
    [InlineData("\"a`\"b\"", "a\"b")]
    public void BacktickEscape(string word, string expected) =>
        Assert.Equal(expected, new Expander('`').ProcessWord(word, Env));

    [Theory]
    [InlineData("80 443", new[] { "80", "443" })]
    [InlineData("$SPACED", new[] { "a", "b" })]                 // a variable's value is split
    [InlineData("\"$SPACED\"", new[] { "a  b" })]               // quoted: not split
    [InlineData("'x y' z", new[] { "x y", "z" })]
    [InlineData("a\\ b", new[] { "a b" })]
    [InlineData("\"\"", new string[0])]
    [InlineData("", new string[0])]
    public void ProcessWords(string word, string[] expected) =>
        Assert.Equal(expected, new Expander().ProcessWords(word, Env));

    [Fact]
    public void UsedNamesAreReported()
    {
        var used = new HashSet<string>();
        new Expander().ProcessWord("$PWD ${UNSET:-$SHELL} '$NOPE'", Env, used);
        Assert.Equal(new HashSet<string> { "PWD", "UNSET", "SHELL" }, used);
    }

    [Fact]
    public void RawModesAndSkipUnset()
    {
        Assert.Equal("'a' \"b\"", new Expander { RawQuotes = true }.ProcessWord("'a' \"b\"", Env));
        Assert.Equal("a\\ b", new Expander { RawEscapes = true }.ProcessWord("a\\ b", Env));
        Assert.Equal("$UNSET ${UNSET} /home", new Expander { SkipUnsetEnv = true }.ProcessWord("$UNSET ${UNSET} $PWD", Env));
    }

    [Fact]
    public void HeredocBodyExpansion()
    {
        // Unquoted heredoc bodies: quotes are ordinary characters, $ expands even inside them, \ still escapes.
        var lex = Expander.ForHeredoc();
        Assert.Equal("echo '/home' \"bash\"\nx $PWD\n", lex.ProcessWord("echo '$PWD' \"$SHELL\"\nx \\$PWD\n", Env));
    }
}
