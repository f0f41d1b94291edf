using CsCheck;
using Onshi.Card.Apdu;
using Onshi.Card.Applications;
using Onshi.Card.Credentials;
using Onshi.Card.Transport;

namespace Onshi.Card.Tests.Applications;

/// <summary>Whatever a card or a man in the middle answers, the clients fail only with typed errors.</summary>
public sealed class HostileResponseTests
{
    private static readonly CheckCodeB KurokiCode = CheckCodeB.Compose(new DateOnly(1980, 2, 17), 2035, "2285");

    private enum Mutation
    {
        Replace,
        Truncate,
        FlipByte,
        AppendGarbage,
    }

    private static readonly Gen<(int Exchange, Mutation Kind, byte[] Noise, int Position)> Attacks =
        Gen.Select(Gen.Int[0, 6], Gen.Enum<Mutation>(), Gen.Byte.Array[0, 40], Gen.Int[0, 4000]);

    [Fact]
    public async Task VisualCheckFailsOnlyWithTypedErrorsWhateverTheResponsesAre()
    {
        var card = TestCards.StandardCard();
        using var inner = new InMemoryCardTransport(card);
        await Attacks.SampleAsync(async attack =>
        {
            inner.Reset();
            var reader = new MyNumberCardReader(new MutatingTransport(inner, attack.Exchange, r => Mutate(r, attack)));
            await AssertOnlyTypedFailures(() => reader.ReadForVisualCheckAsync(KurokiCode, TestContext.Current.CancellationToken));
        }, iter: 300);
    }

    [Fact]
    public async Task PinIdentificationFailsOnlyWithTypedErrorsWhateverTheResponsesAre()
    {
        var card = TestCards.StandardCard();
        using var inner = new InMemoryCardTransport(card);
        await Attacks.SampleAsync(async attack =>
        {
            inner.Reset();
            var reader = new MyNumberCardReader(new MutatingTransport(inner, attack.Exchange, r => Mutate(r, attack)));
            await AssertOnlyTypedFailures(() => reader.IdentifyWithPinAsync("1234", "nonce"u8.ToArray(), TestContext.Current.CancellationToken));
        }, iter: 300);
        Assert.Equal(3, card.TriesLeft("jpki", 0x18));
    }

    [Fact]
    public async Task ATruncatedCardFaceRecordIsATypedTruncationOrTlvError()
    {
        var (_, _, reader) = TestCards.Reader();
        var face = (await reader.ReadForVisualCheckAsync(KurokiCode, TestContext.Current.CancellationToken)).Face!.RawRecord;
        Gen.Int[0, face.Length - 1].Sample(length =>
        {
            var error = Assert.Throws<CardProtocolException>(() => CardRecordFormat.ParseCardFace(face.AsMemory(0, length)));
            Assert.True(error.Kind is CardProtocolErrorKind.MalformedTlv or CardProtocolErrorKind.MalformedData, error.Message);
        }, iter: 300);
    }

    [Fact]
    public void AStatusWordAloneIsNotARecord()
    {
        var error = Assert.Throws<CardProtocolException>(() => ResponseApdu.Parse(new byte[] { 0x90 }));
        Assert.Equal(CardProtocolErrorKind.Truncated, error.Kind);
    }

    [Fact]
    public async Task AnUnexpectedStatusWordIsATypedErrorCarryingIt()
    {
        var card = TestCards.StandardCard();
        using var inner = new InMemoryCardTransport(card);
        var reader = new MyNumberCardReader(new MutatingTransport(inner, 1, _ => [0x6F, 0x00]));
        var error = await Assert.ThrowsAsync<CardProtocolException>(() => reader.Jpki.ReadAuthenticationCertificateAsync(TestContext.Current.CancellationToken));
        Assert.Equal(CardProtocolErrorKind.UnexpectedStatus, error.Kind);
        Assert.Equal(StatusWord.NoPreciseDiagnosis, error.StatusWord);
    }

    [Fact]
    public async Task ACertificateEfShorterThanItsHeaderAnnouncesIsTruncated()
    {
        var card = TestCards.StandardCard();
        using var inner = new InMemoryCardTransport(card);
        var reader = new MyNumberCardReader(new MutatingTransport(inner, 2, r => [.. r[..100], 0x90, 0x00]));
        var error = await Assert.ThrowsAsync<CardProtocolException>(() => reader.Jpki.ReadAuthenticationCertificateAsync(TestContext.Current.CancellationToken));
        Assert.Equal(CardProtocolErrorKind.Truncated, error.Kind);
    }

    [Fact]
    public async Task ACardRemovedMidReadSurfacesAsATransportErrorOfThatKind()
    {
        await Gen.Int[0, 5].SampleAsync(async at =>
        {
            var card = TestCards.StandardCard();
            using var inner = new InMemoryCardTransport(card);
            var reader = new MyNumberCardReader(new MutatingTransport(inner, at, _ =>
            {
                inner.Remove();
                throw new CardTransportException(CardTransportError.CardRemoved, "removed");
            }));
            var error = await Assert.ThrowsAsync<CardTransportException>(() => reader.ReadForVisualCheckAsync(KurokiCode, TestContext.Current.CancellationToken));
            Assert.Equal(CardTransportError.CardRemoved, error.Error);
        }, iter: 12);
    }

    private static byte[] Mutate(byte[] response, (int Exchange, Mutation Kind, byte[] Noise, int Position) attack) => attack.Kind switch
    {
        Mutation.Replace => attack.Noise,
        Mutation.Truncate => response[..(attack.Position % (response.Length + 1))],
        Mutation.FlipByte => FlipAt(response, attack.Position),
        _ => [.. response[..^2], .. attack.Noise, .. response[^2..]],
    };

    private static byte[] FlipAt(byte[] response, int position)
    {
        var copy = (byte[])response.Clone();
        if (copy.Length > 0)
        {
            copy[position % copy.Length] ^= (byte)(1 << (position % 8));
        }

        return copy;
    }

    private static async Task AssertOnlyTypedFailures(Func<Task> operation)
    {
        try
        {
            await operation();
        }
        catch (CardProtocolException error)
        {
            Assert.False(string.IsNullOrWhiteSpace(error.Message));
            Assert.True(Enum.IsDefined(error.Kind));
        }
    }

    /// <summary>Passes exchanges through, except that the n-th response is rewritten.</summary>
    private sealed class MutatingTransport(ICardTransport inner, int target, Func<byte[], byte[]> mutate) : ICardTransport
    {
        private int _count;

        public string ReaderName => inner.ReaderName;

        public async ValueTask<byte[]> TransmitAsync(ReadOnlyMemory<byte> commandApdu, CancellationToken cancellationToken = default)
        {
            var response = await inner.TransmitAsync(commandApdu, cancellationToken);
            return _count++ == target ? mutate(response) : response;
        }

        public void Dispose()
        {
        }
    }
}
