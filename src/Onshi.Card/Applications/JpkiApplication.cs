using System.Security.Cryptography;
using System.Text;
using Onshi.Card.Apdu;
using Onshi.Card.Credentials;

namespace Onshi.Card.Applications;

/// <summary>公的個人認証AP: the 利用者証明用電子証明書 (user authentication) side, which the app uses.</summary>
public sealed class JpkiApplication
{
    /// <summary>DER prefix of a SHA-256 DigestInfo (PKCS#1 v1.5).</summary>
    public static ReadOnlyMemory<byte> Sha256DigestInfoPrefix { get; } = Convert.FromHexString("3031300D060960864801650304020105000420");

    private readonly CardSession _session;

    public JpkiApplication(CardSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        _session = session;
    }

    /// <summary>Reads the 利用者証明用電子証明書 (no PIN needed on a physical card): 3 exchanges at most.</summary>
    public Task<byte[]> ReadAuthenticationCertificateAsync(CancellationToken cancellationToken = default) =>
        ReadCertificateAsync(JpkiFiles.AuthCertificate, cancellationToken);

    /// <summary>Reads the CA certificate that issued the user-authentication certificate.</summary>
    public Task<byte[]> ReadAuthenticationCaCertificateAsync(CancellationToken cancellationToken = default) =>
        ReadCertificateAsync(JpkiFiles.AuthCaCertificate, cancellationToken);

    /// <summary>Asks how many PIN tries are left without using one (empty VERIFY).</summary>
    public async Task<PinVerification> GetAuthenticationPinStatusAsync(CancellationToken cancellationToken = default)
    {
        await _session.SelectApplicationAsync(CardApplicationIds.Jpki, cancellationToken).ConfigureAwait(false);
        return await _session.VerifyAsync(JpkiFiles.AuthPin, ReadOnlyMemory<byte>.Empty, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>VERIFY the 4-digit 利用者証明用暗証番号. A malformed PIN is refused before it can cost a try.</summary>
    public async Task<PinVerification> VerifyAuthenticationPinAsync(string pin, CancellationToken cancellationToken = default)
    {
        var format = CardPin.Validate(pin);
        if (format is not null)
        {
            return new PinVerification(PinVerificationOutcome.InvalidFormat, null, format.Message);
        }

        await _session.SelectApplicationAsync(CardApplicationIds.Jpki, cancellationToken).ConfigureAwait(false);
        return await _session.VerifyAsync(JpkiFiles.AuthPin, Encoding.ASCII.GetBytes(pin), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Signs a SHA-256 hash with the user-authentication key (<c>80 2A 00 97</c>, PKCS#1 v1.5 over the DigestInfo).
    /// The PIN must have been verified in this session; otherwise a SecurityStatusNotSatisfied protocol error.
    /// </summary>
    public async Task<byte[]> SignSha256WithAuthenticationKeyAsync(ReadOnlyMemory<byte> sha256Hash, CancellationToken cancellationToken = default)
    {
        if (sha256Hash.Length != SHA256.HashSizeInBytes)
        {
            throw new ArgumentException("A SHA-256 hash is 32 bytes.", nameof(sha256Hash));
        }

        var digestInfo = new byte[Sha256DigestInfoPrefix.Length + sha256Hash.Length];
        Sha256DigestInfoPrefix.CopyTo(digestInfo);
        sha256Hash.CopyTo(digestInfo.AsMemory(Sha256DigestInfoPrefix.Length));
        await _session.SelectApplicationAsync(CardApplicationIds.Jpki, cancellationToken).ConfigureAwait(false);
        var response = await _session.TransmitAsync(
            new CommandApdu(0x80, 0x2A, 0x00, 0x80 | JpkiFiles.AuthKey, digestInfo, CommandApdu.MaxShortNe), cancellationToken).ConfigureAwait(false);
        var data = response.EnsureSuccess("COMPUTE DIGITAL SIGNATURE").Data;
        if (data.Length != 256)
        {
            throw new CardProtocolException(CardProtocolErrorKind.MalformedData,
                $"An RSA-2048 signature is 256 bytes; the card answered {data.Length}.");
        }

        return data.ToArray();
    }

    /// <summary>Reads EF 0006 (PKCS#11 token info) — tells a physical card from a smartphone token.</summary>
    public async Task<JpkiTokenInfo> ReadTokenInfoAsync(CancellationToken cancellationToken = default)
    {
        await _session.SelectApplicationAsync(CardApplicationIds.Jpki, cancellationToken).ConfigureAwait(false);
        var data = await _session.ReadPrefixAsync(JpkiFiles.TokenInfo, JpkiTokenInfo.Length, cancellationToken).ConfigureAwait(false);
        return JpkiTokenInfo.Parse(data);
    }

    private async Task<byte[]> ReadCertificateAsync(byte sfi, CancellationToken cancellationToken)
    {
        await _session.SelectApplicationAsync(CardApplicationIds.Jpki, cancellationToken).ConfigureAwait(false);
        var header = await _session.ReadPrefixAsync(sfi, 4, cancellationToken).ConfigureAwait(false);
        var total = DerLengthFromHeader(header);
        var rest = await _session.ReadCurrentAsync(4, total - 4, cancellationToken).ConfigureAwait(false);
        return [.. header, .. rest];
    }

    /// <summary>Total DER length from a certificate's first four bytes (<c>30 82 HH LL</c>).</summary>
    internal static int DerLengthFromHeader(ReadOnlySpan<byte> header)
    {
        if (header.Length < 4)
        {
            throw new CardProtocolException(CardProtocolErrorKind.Truncated, "The certificate EF is shorter than a DER header.");
        }

        if (header[0] != 0x30 || header[1] != 0x82)
        {
            throw new CardProtocolException(CardProtocolErrorKind.MalformedData,
                $"The certificate EF does not start with a DER SEQUENCE of 256–65535 bytes ({Convert.ToHexString(header[..4])}).");
        }

        var length = (header[2] << 8) | header[3];
        if (length < 0x100)
        {
            throw new CardProtocolException(CardProtocolErrorKind.MalformedData, "The certificate's DER length is not minimal.");
        }

        return 4 + length;
    }
}

/// <summary>The parts of JPKI EF 0006 (a serialised PKCS#11 CK_TOKEN_INFO) the app cares about.</summary>
public sealed record JpkiTokenInfo(string Label, string Manufacturer, string Model, string SerialNumber)
{
    public const int Length = 160;

    /// <summary>Label of a physical My Number card.</summary>
    public const string MyNumberCardLabel = "JPKIAPICCTOKEN2";

    public bool IsMyNumberCard => Label == MyNumberCardLabel;

    /// <summary>Smartphone 電子証明書 (Android GP SE or iPhone).</summary>
    public bool IsSmartphone => Label is "JPKIAPGPSETOKEN" or "JPKIAPIOSTOKEN";

    public static JpkiTokenInfo Parse(ReadOnlySpan<byte> data)
    {
        if (data.Length < 96)
        {
            throw new CardProtocolException(CardProtocolErrorKind.Truncated, $"Token info is {data.Length} bytes; at least 96 are needed.");
        }

        return new JpkiTokenInfo(Field(data[..32]), Field(data[32..64]), Field(data[64..80]), Field(data[80..96]));
    }

    private static string Field(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b is < 0x20 or > 0x7E)
            {
                throw new CardProtocolException(CardProtocolErrorKind.MalformedData, "Token info holds a non-ASCII byte.");
            }
        }

        return Encoding.ASCII.GetString(bytes).TrimEnd(' ');
    }
}
