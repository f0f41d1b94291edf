using System.Numerics;
using System.Security.Cryptography;

namespace Onshi.Jpki.Tests;

public sealed class AuthenticationMessageTests
{
    private static readonly byte[] Challenge = [.. Enumerable.Range(0, 32).Select(i => (byte)i)];
    private static readonly byte[] Thumbprint = [.. Enumerable.Range(0, 32).Select(i => (byte)(0xA0 + i))];

    [Fact]
    public void EncodesTheDocumentedLengthPrefixedFields()
    {
        var message = AuthenticationMessage.Build(Challenge, "2714206386", Thumbprint, AuthenticationPurpose.HomeVisit);

        var expected = Convert.FromHexString(
            "00000012" + Convert.ToHexString("onshi-jpki-auth-v1"u8) +
            "00000020" + "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F" +
            "0000000A" + Convert.ToHexString("2714206386"u8) +
            "00000020" + "A0A1A2A3A4A5A6A7A8A9AAABACADAEAFB0B1B2B3B4B5B6B7B8B9BABBBCBDBEBF" +
            "0000000A" + Convert.ToHexString("home-visit"u8));
        Assert.Equal(expected, message);
    }

    [Theory]
    [InlineData(AuthenticationPurpose.Outpatient, "outpatient")]
    [InlineData(AuthenticationPurpose.HomeVisit, "home-visit")]
    [InlineData(AuthenticationPurpose.Online, "online")]
    public void UsesAStableTokenPerPurpose(AuthenticationPurpose purpose, string token)
    {
        Assert.Equal(token, AuthenticationMessage.ToToken(purpose));
        Assert.EndsWith(token, System.Text.Encoding.ASCII.GetString(AuthenticationMessage.Build(Challenge, "2714206386", Thumbprint, purpose)), StringComparison.Ordinal);
    }

    [Fact]
    public void RefusesInputsThatBreakTheFormat()
    {
        Assert.Throws<ArgumentException>(() => AuthenticationMessage.Build(new byte[31], "2714206386", Thumbprint, AuthenticationPurpose.Outpatient));
        Assert.Throws<ArgumentException>(() => AuthenticationMessage.Build(new byte[65], "2714206386", Thumbprint, AuthenticationPurpose.Outpatient));
        Assert.Throws<ArgumentException>(() => AuthenticationMessage.Build(Challenge, "271420638", Thumbprint, AuthenticationPurpose.Outpatient));
        Assert.Throws<ArgumentException>(() => AuthenticationMessage.Build(Challenge, "27142063８6", Thumbprint, AuthenticationPurpose.Outpatient));
        Assert.Throws<ArgumentException>(() => AuthenticationMessage.Build(Challenge, "2714206386", new byte[20], AuthenticationPurpose.Outpatient));
        Assert.Throws<ArgumentOutOfRangeException>(() => AuthenticationMessage.Build(Challenge, "2714206386", Thumbprint, (AuthenticationPurpose)9));
    }

    [Fact]
    public void TheCardsSignatureOverTheDigestInfoIsAStandardSha256Signature()
    {
        using var key = RSA.Create(2048);
        var message = AuthenticationMessage.Build(Challenge, "2714206386", Thumbprint, AuthenticationPurpose.Outpatient);
        var digestInfo = AuthenticationMessage.ComputeDigestInfo(message);
        var signature = key.SignData(message, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        // Undo the signature with the public key (s^e mod n): what remains must be the PKCS#1 v1.5 type-1 block
        // 00 01 FF..FF 00 || DigestInfo — exactly what COMPUTE DIGITAL SIGNATURE P1=00 produces from the 51 bytes.
        var parameters = key.ExportParameters(false);
        var recovered = BigInteger.ModPow(
            new BigInteger(signature, isUnsigned: true, isBigEndian: true),
            new BigInteger(parameters.Exponent, isUnsigned: true, isBigEndian: true),
            new BigInteger(parameters.Modulus, isUnsigned: true, isBigEndian: true)).ToByteArray(isUnsigned: true, isBigEndian: true);
        var block = new byte[256];
        recovered.CopyTo(block, 256 - recovered.Length);

        Assert.Equal(51, digestInfo.Length);
        Assert.Equal((byte[])[0x00, 0x01], block[..2]);
        Assert.All(block[2..(256 - 52)], b => Assert.Equal(0xFF, b));
        Assert.Equal(0x00, block[256 - 52]);
        Assert.Equal(digestInfo, block[(256 - 51)..]);
    }
}
