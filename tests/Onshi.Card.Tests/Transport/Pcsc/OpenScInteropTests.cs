using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using Onshi.Card.Transport.Pcsc;
using Onshi.Card.Transport.Vpcd;
using Onshi.Card.Virtual;

namespace Onshi.Card.Tests.Transport.Pcsc;

/// <summary>
/// The virtual card as OpenSC sees it: Debian's opensc-tool, pkcs15-tool and pkcs11-tool (jpki driver and its
/// PKCS#15 emulation) talk to it through the real pcscd + vpcd. OpenSC is the open stack people point at real My Number
/// cards, written by others from real cards, so it checks the card's answers independently of our own client.
/// </summary>
[Collection(SharedVirtualReader.Name)]
public sealed partial class OpenScInteropTests
{
    /// <summary>Bounds every OpenSC command; they finish in well under a second on an idle machine.</summary>
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(60);

    private static readonly string[] ToolFolders = ["/usr/bin", "/usr/local/bin", "/bin"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OpenScRecognisesTheCardAsAJpkiCard()
    {
        var (reader, port) = RealStack.Require();
        await using var inserted = await InsertAsync(TestCards.StandardCard(), reader, port);

        var name = await RunAsync("opensc-tool", "--reader", reader, "--name");

        Assert.Equal(0, name.ExitCode);
        Assert.Contains("jpki", name.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Pkcs15ToolListsAndReadsTheUserAuthenticationCertificate()
    {
        var (reader, port) = RealStack.Require();
        var image = TestCards.StandardImage();
        await using var inserted = await InsertAsync(new VirtualMyNumberCard(image), reader, port);

        var list = await RunAsync("pkcs15-tool", "--reader", reader, "--list-certificates");
        var read = await RunAsync("pkcs15-tool", "--reader", reader, "--read-certificate", "01");

        Assert.Equal(0, list.ExitCode);
        Assert.Contains("User Authentication Certificate", list.Output, StringComparison.Ordinal);
        Assert.Contains("User Authentication Certificate CA", list.Output, StringComparison.Ordinal);
        Assert.Equal(0, read.ExitCode);
        using var fromOpenSc = X509Certificate2.CreateFromPem(read.Output);
        Assert.Equal(image.AuthCertificate, fromOpenSc.RawData);
    }

    [Fact]
    public async Task Pkcs11ToolSignsWithThePinAndTheSignatureVerifiesWithTheCertificate()
    {
        var (reader, port) = RealStack.Require();
        var image = TestCards.StandardImage();
        await using var inserted = await InsertAsync(new VirtualMyNumberCard(image), reader, port);
        var work = Directory.CreateTempSubdirectory("onshi-opensc-");
        try
        {
            var message = "Onshi: a challenge chosen by the server"u8.ToArray();
            var input = Path.Combine(work.FullName, "message.bin");
            var output = Path.Combine(work.FullName, "signature.bin");
            await File.WriteAllBytesAsync(input, message, Ct);

            var sign = await RunAsync("pkcs11-tool", "--module", Pkcs11Module(), "--slot-index", "0", "--login",
                "--pin", TestCards.Kuroki.Pin!, "--sign", "--id", "01", "--mechanism", "SHA256-RSA-PKCS",
                "--input-file", input, "--output-file", output);

            Assert.True(sign.ExitCode == 0, sign.Output);
            var signature = await File.ReadAllBytesAsync(output, Ct);
            using var certificate = X509CertificateLoader.LoadCertificate(image.AuthCertificate);
            using var key = certificate.GetRSAPublicKey()!;
            Assert.Equal(256, signature.Length);
            Assert.True(key.VerifyData(message, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Pkcs11ToolRefusesAWrongPinAndPkcs15ToolThenShowsTheTriesLeft()
    {
        var (reader, port) = RealStack.Require();
        var card = TestCards.StandardCard();
        await using var inserted = await InsertAsync(card, reader, port);

        var wrong = await RunAsync("pkcs11-tool", "--module", Pkcs11Module(), "--slot-index", "0", "--login",
            "--pin", "9999", "--list-objects");
        var pins = await RunAsync("pkcs15-tool", "--reader", reader, "--list-pins");

        Assert.NotEqual(0, wrong.ExitCode);
        Assert.Contains("CKR_PIN_INCORRECT", wrong.Output, StringComparison.Ordinal);
        Assert.Equal(0, pins.ExitCode);
        Assert.Equal(2, TriesLeftOf(pins.Output, "User Authentication PIN"));
        Assert.Equal(5, TriesLeftOf(pins.Output, "Digital Signature PIN"));
    }

    [Fact]
    public async Task OpenScStillEnumeratesACardWhosePinIsBlockedAndReportsNoTriesLeft()
    {
        var (reader, port) = RealStack.Require();
        var card = TestCards.StandardCard();
        BlockUserAuthenticationPin(card);
        await using var inserted = await InsertAsync(card, reader, port);

        var pins = await RunAsync("pkcs15-tool", "--reader", reader, "--list-pins");
        var certificates = await RunAsync("pkcs15-tool", "--reader", reader, "--list-certificates");
        var login = await RunAsync("pkcs11-tool", "--module", Pkcs11Module(), "--slot-index", "0", "--login",
            "--pin", TestCards.Kuroki.Pin!, "--list-objects");

        Assert.True(pins.ExitCode == 0, pins.Output);
        Assert.Equal(0, TriesLeftOf(pins.Output, "User Authentication PIN"));
        Assert.Equal(5, TriesLeftOf(pins.Output, "Digital Signature PIN"));
        Assert.Equal(0, certificates.ExitCode);
        Assert.Contains("User Authentication Certificate", certificates.Output, StringComparison.Ordinal);
        // Even the right PIN cannot open a blocked key. The card answers 6984 as real cards do; OpenSC keeps
        // CKR_PIN_LOCKED for ISO's 6983 and reports 6984 as a general error, so the login failure is what we can ask for.
        Assert.NotEqual(0, login.ExitCode);
        Assert.Contains("C_Login failed", login.Output, StringComparison.Ordinal);
    }

    /// <summary>Three wrong PINs straight to the card, as the app would have sent them at the counter.</summary>
    private static void BlockUserAuthenticationPin(VirtualMyNumberCard card)
    {
        Assert.Equal("9000", card.Sw("00A4040C0AD392F000260100000001"));
        Assert.Equal("63C2", card.Sw("002000980439393939"));
        Assert.Equal("63C1", card.Sw("002000980439393939"));
        Assert.Equal("63C0", card.Sw("002000980439393939"));
        card.Reset();
    }

    private static int TriesLeftOf(string listPins, string label)
    {
        var start = listPins.IndexOf(label, StringComparison.Ordinal);
        Assert.True(start >= 0, $"pkcs15-tool did not list {label}:\n{listPins}");
        var match = TriesLeftLine().Match(listPins, start);
        Assert.True(match.Success, $"no 'Tries left' after {label}:\n{listPins}");
        return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"Tries left\s*:\s*(-?\d+)")]
    private static partial Regex TriesLeftLine();

    private static string Pkcs11Module()
    {
        string[] candidates =
        [
            "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so",
            "/usr/lib/aarch64-linux-gnu/opensc-pkcs11.so",
            "/usr/lib/opensc-pkcs11.so",
        ];
        return candidates.FirstOrDefault(File.Exists) ?? RequireTool("opensc-pkcs11.so");
    }

    private static async Task<InsertedCard> InsertAsync(VirtualMyNumberCard card, string reader, int port)
    {
        var context = PcscContext.Establish();
        try
        {
            await RealStack.WaitUntilAsync(context, reader, present: false);
            var connector = new VpcdCardConnector(card, "127.0.0.1", port);
            connector.Start();
            await context.WaitForCardAsync(reader, RealStack.CardWait, Ct);
            return new InsertedCard(context, connector, reader);
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    /// <summary>Ejects the card and waits until pcscd has seen it go, so the next test starts from an empty slot.</summary>
    private sealed class InsertedCard(PcscContext context, VpcdCardConnector connector, string reader) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await connector.EjectAsync();
                await RealStack.WaitUntilAsync(context, reader, present: false);
            }
            finally
            {
                await connector.DisposeAsync();
                context.Dispose();
            }
        }
    }

    private static string RequireTool(string name)
    {
        var message = $"{name} is not installed (Debian package opensc; scripts/test installs it).";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(message);
        }

        Assert.Skip(message);
        return name;
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string tool, params string[] arguments)
    {
        var path = ToolFolders.Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists) ?? RequireTool(tool);
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(ToolTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} did not finish within {ToolTimeout}");
        }

        var output = new StringBuilder().Append(await stdout).Append(await stderr).ToString();
        TestContext.Current.TestOutputHelper?.WriteLine($"$ {tool} {string.Join(' ', arguments)}\n{output}");
        return (process.ExitCode, output);
    }
}
