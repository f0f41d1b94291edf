namespace Onshi.Agent.Tests;

/// <summary>The machine account's secret never comes from argv, where every local user can read it.</summary>
public sealed class AgentSecretTests
{
    [Theory]
    [InlineData("--secret", "s3cret")]
    [InlineData("--secret=s3cret")]
    [InlineData("/secret", "s3cret")]
    [InlineData("--Agent:Secret=s3cret")]
    [InlineData("--SECRET", "s3cret")]
    public void ASecretOnTheCommandLineIsRefused(params string[] secretArgs)
    {
        string[] args = ["--server", "https://onshi.example.jp/", "--client-id", "rc-1", .. secretArgs, "--root", "/tmp/oqs"];
        Assert.True(AgentSecret.IsOnCommandLine(args));
    }

    [Fact]
    public void TheSecretFileAndOtherOptionsAreAccepted()
    {
        Assert.False(AgentSecret.IsOnCommandLine(["--server", "https://onshi.example.jp/", "--client-id", "rc-1", "--secret-file", "/etc/onshi/secret", "--root", "/tmp/oqs"]));
    }

    [Fact]
    public void TheSecretIsReadFromTheFileAndPreferredOverTheEnvironment()
    {
        var file = Path.Combine(Path.GetTempPath(), "onshi-secret-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(file, "  from-the-file \r\nignored second line\n");
        try
        {
            Assert.Equal("from-the-file", AgentSecret.Resolve("from-the-environment", file));
            Assert.Equal("from-the-environment", AgentSecret.Resolve("from-the-environment", null));
            Assert.Null(AgentSecret.Resolve(null, null));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task TheAgentRefusesToStartWithASecretInItsArguments()
    {
        var error = new StringWriter();
        var previous = Console.Error;
        Console.SetError(error);
        try
        {
            var exit = await AgentProgram.Main(["--server", "https://onshi.example.jp/", "--client-id", "rc-1", "--secret", "s3cret", "--root", "/tmp/oqs"]);
            Assert.Equal(2, exit);
        }
        finally
        {
            Console.SetError(previous);
        }

        Assert.Contains(AgentSecret.RefusedCode, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", error.ToString(), StringComparison.Ordinal);
    }
}
