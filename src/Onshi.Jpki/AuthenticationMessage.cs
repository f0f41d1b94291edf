using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Onshi.Jpki;

/// <summary>Why the app presents the card, bound into the signed message so a signature for one purpose cannot serve another.</summary>
public enum AuthenticationPurpose
{
    /// <summary>外来診療等（通常とは異なる動線）; wire token <c>outpatient</c> (OQSCD028 1).</summary>
    Outpatient = 1,

    /// <summary>訪問診療等; wire token <c>home-visit</c> (OQSCD028 2).</summary>
    HomeVisit = 2,

    /// <summary>オンライン診療等; wire token <c>online</c> (OQSCD028 3).</summary>
    Online = 3,
}

/// <summary>
/// The byte string the card signs in 暗証番号 mode. The server issues a random challenge; the app asks the card to
/// sign SHA-256 DigestInfo of this message (COMPUTE DIGITAL SIGNATURE P1=00, card-protocol.md §6.1); the server
/// rebuilds the message from its own records (never from the app's copy) and verifies.
/// <para>Encoding, version 1 (every field is a 4-byte big-endian length followed by that many bytes):</para>
/// <code>
/// field("onshi-jpki-auth-v1")            ASCII, 18 bytes: domain separation, never a valid other-protocol message
/// field(challenge)                       32..64 random bytes issued by the server
/// field(institution code)                ASCII, exactly 10 digits (医療機関コード)
/// field(device key thumbprint)           32 bytes: SHA-256 JWK thumbprint (RFC 7638) of the device key, raw
/// field(purpose)                         ASCII token: "outpatient" | "home-visit" | "online"
/// </code>
/// Length prefixes make the concatenation unambiguous (no two different tuples produce the same bytes);
/// binding the institution and device key means a signature captured on one device or at one institution is
/// useless elsewhere; binding the purpose stops a 外来 signature from being replayed as 訪問.
/// </summary>
public static class AuthenticationMessage
{
    /// <summary>The domain-separation tag, the first field of every version-1 message.</summary>
    public const string DomainTag = "onshi-jpki-auth-v1";

    /// <summary>Minimum challenge length in bytes (256 bits).</summary>
    public const int MinimumChallengeLength = 32;

    /// <summary>Maximum challenge length in bytes.</summary>
    public const int MaximumChallengeLength = 64;

    /// <summary>Length of the device key thumbprint (SHA-256).</summary>
    public const int ThumbprintLength = 32;

    /// <summary>The DER prefix of a SHA-256 DigestInfo (RFC 8017 §9.2 note 1; card-protocol.md §6).</summary>
    public static ReadOnlySpan<byte> Sha256DigestInfoPrefix =>
        [0x30, 0x31, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20];

    /// <summary>The wire token of a purpose.</summary>
    public static string ToToken(AuthenticationPurpose purpose) => purpose switch
    {
        AuthenticationPurpose.Outpatient => "outpatient",
        AuthenticationPurpose.HomeVisit => "home-visit",
        AuthenticationPurpose.Online => "online",
        _ => throw new ArgumentOutOfRangeException(nameof(purpose), purpose, "Unknown purpose."),
    };

    /// <summary>
    /// Builds the to-be-signed message. Throws <see cref="ArgumentException"/> for inputs that break the format
    /// (the server constructs these from its own records, so a bad value is a programming error).
    /// </summary>
    public static byte[] Build(ReadOnlySpan<byte> challenge, string institutionCode, ReadOnlySpan<byte> deviceKeyThumbprint, AuthenticationPurpose purpose) =>
        BuildTagged(DomainTag, challenge, institutionCode, deviceKeyThumbprint, purpose);

    /// <summary>The domain-separation tag of the 目視確認 card-presence message (<see cref="BuildCardPresence"/>).</summary>
    public const string CardPresenceDomainTag = "onshi-card-presence-v1";

    /// <summary>
    /// The message whose SHA-256 the card signs with its 券面AP internal-authentication key in 目視確認 (INTERNAL
    /// AUTHENTICATE takes at most 255 bytes, so the app sends the 32-byte hash, and the card signs it with
    /// sha256WithRSA). Same fields as <see cref="Build(ReadOnlySpan{byte}, string, ReadOnlySpan{byte}, AuthenticationPurpose)"/>
    /// under its own tag, so a PIN-mode signature can never be taken for a presence proof or the other way round.
    /// </summary>
    public static byte[] BuildCardPresence(ReadOnlySpan<byte> challenge, string institutionCode, ReadOnlySpan<byte> deviceKeyThumbprint, AuthenticationPurpose purpose) =>
        BuildTagged(CardPresenceDomainTag, challenge, institutionCode, deviceKeyThumbprint, purpose);

    private static byte[] BuildTagged(string domainTag, ReadOnlySpan<byte> challenge, string institutionCode, ReadOnlySpan<byte> deviceKeyThumbprint, AuthenticationPurpose purpose)
    {
        if (challenge.Length is < MinimumChallengeLength or > MaximumChallengeLength)
        {
            throw new ArgumentException($"The challenge must be {MinimumChallengeLength}..{MaximumChallengeLength} bytes.", nameof(challenge));
        }

        ArgumentNullException.ThrowIfNull(institutionCode);
        if (institutionCode.Length != 10 || !institutionCode.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("The institution code must be exactly 10 ASCII digits.", nameof(institutionCode));
        }

        if (deviceKeyThumbprint.Length != ThumbprintLength)
        {
            throw new ArgumentException($"The device key thumbprint must be {ThumbprintLength} bytes.", nameof(deviceKeyThumbprint));
        }

        var tag = Encoding.ASCII.GetBytes(domainTag);
        var code = Encoding.ASCII.GetBytes(institutionCode);
        var token = Encoding.ASCII.GetBytes(ToToken(purpose));
        var message = new byte[(5 * 4) + tag.Length + challenge.Length + code.Length + deviceKeyThumbprint.Length + token.Length];
        var offset = 0;
        Append(message, ref offset, tag);
        Append(message, ref offset, challenge);
        Append(message, ref offset, code);
        Append(message, ref offset, deviceKeyThumbprint);
        Append(message, ref offset, token);
        return message;
    }

    /// <summary>
    /// The 51-byte SHA-256 DigestInfo of <paramref name="message"/>: exactly the data the app sends to the card in
    /// COMPUTE DIGITAL SIGNATURE (<c>80 2A 00 80 33 …</c>), whose PKCS#1 v1.5 signature equals RSASSA-PKCS1-v1_5-SHA256
    /// over the message.
    /// </summary>
    public static byte[] ComputeDigestInfo(ReadOnlySpan<byte> message)
    {
        var digestInfo = new byte[Sha256DigestInfoPrefix.Length + 32];
        Sha256DigestInfoPrefix.CopyTo(digestInfo);
        SHA256.HashData(message, digestInfo.AsSpan(Sha256DigestInfoPrefix.Length));
        return digestInfo;
    }

    private static void Append(byte[] message, ref int offset, ReadOnlySpan<byte> field)
    {
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(offset), (uint)field.Length);
        offset += 4;
        field.CopyTo(message.AsSpan(offset));
        offset += field.Length;
    }
}
