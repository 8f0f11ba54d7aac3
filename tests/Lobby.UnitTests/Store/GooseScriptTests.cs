using Lobby.Api.Store.Migrations;

namespace Lobby.UnitTests.Store;

public sealed class GooseScriptTests
{
    [Theory]
    [InlineData("1_auth.SQL")]
    [InlineData("00001-auth.sql")]
    [InlineData("00001_Auth.sql")]
    [InlineData("auth.sql")]
    [InlineData("00000_zero.sql")]
    public void Parse_rejects_bad_file_names(string fileName)
    {
        var ex = Assert.Throws<FormatException>(() => GooseScript.Parse(fileName, "-- +goose Up\nSELECT 1;\n"));
        Assert.Contains(fileName, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_requires_up_section()
    {
        var ex = Assert.Throws<FormatException>(() => GooseScript.Parse("00001_x.sql", "-- just a comment\n"));
        Assert.Contains("no '-- +goose Up'", ex.Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => GooseScript.Parse("00001_x.sql", "SELECT 1;\n-- +goose Up\n"));
        Assert.Throws<FormatException>(() => GooseScript.Parse("00001_x.sql", "-- +goose Up\n-- +goose StatementBegin\nSELECT 1;\n"));
        Assert.Throws<FormatException>(() => GooseScript.Parse("00001_x.sql", "-- +goose Up\n-- +goose Bogus\n"));
    }

    [Fact]
    public void Parse_splits_statements_and_keeps_blocks_whole()
    {
        using var stream = typeof(GooseScriptTests).Assembly.GetManifestResourceStream("migrations/00001_auth.sql")!;
        var text = new StreamReader(stream).ReadToEnd();
        var script = GooseScript.Parse("00001_auth.sql", text);
        Assert.Equal(1, script.Version);
        Assert.Equal("auth", script.Name);
        Assert.False(script.NoTransaction);
        Assert.Equal(6, script.UpStatements.Count);
        Assert.StartsWith("CREATE FUNCTION touch_updated_at()", script.UpStatements[4], StringComparison.Ordinal);
        Assert.EndsWith("$$;", script.UpStatements[4], StringComparison.Ordinal);
        Assert.Equal(5, script.DownStatements.Count);
        Assert.DoesNotContain("+goose", script.UpSql, StringComparison.Ordinal);
        Assert.DoesNotContain("+goose", script.DownSql, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_reads_no_transaction()
    {
        var script = GooseScript.Parse("00003_idx.sql", "-- +goose NO TRANSACTION\n-- +goose Up\nCREATE INDEX CONCURRENTLY a ON b (c);\nCREATE INDEX CONCURRENTLY d ON b (e);\n");
        Assert.True(script.NoTransaction);
        Assert.Equal(2, script.UpStatements.Count);
        Assert.Empty(script.DownStatements);
    }

    [Fact]
    public void Catalog_loads_embedded_in_order_and_rejects_duplicates()
    {
        var scripts = MigrationCatalog.LoadEmbedded(typeof(GooseScriptTests).Assembly);
        Assert.Equal(new long[] { 1, 2, 3 }, scripts.Select(s => s.Version));
        Assert.Equal(3, MigrationCatalog.FromAssembly(typeof(GooseScriptTests).Assembly).LatestVersion);

        var a = GooseScript.Parse("00001_a.sql", "-- +goose Up\nSELECT 1;\n");
        var b = GooseScript.Parse("1_b.sql", "-- +goose Up\nSELECT 1;\n");
        var ex = Assert.Throws<InvalidOperationException>(() => new MigrationCatalog([a, b]));
        Assert.Contains("00001_a.sql", ex.Message, StringComparison.Ordinal);
        Assert.Contains("1_b.sql", ex.Message, StringComparison.Ordinal);
    }
}
