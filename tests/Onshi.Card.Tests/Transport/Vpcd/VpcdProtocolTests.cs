using System.Buffers.Binary;
using CsCheck;
using Onshi.Card.Transport;
using Onshi.Card.Transport.Vpcd;

namespace Onshi.Card.Tests.Transport.Vpcd;

public sealed class VpcdProtocolTests
{
    [Fact]
    public void AnswersEveryApduWithItsFramedResponseAndControlCodesOnlyWhenAskedForTheAtr()
    {
        // A message is either a control code (1 byte) or an APDU of 4..600 bytes.
        var message = Gen.OneOf(
            Gen.Byte[0, 5].Select(b => new[] { b }),
            Gen.Byte.Array[4, 600]);
        message.Array[0, 20].Sample(messages =>
        {
            var card = new EchoCardEmulator();
            var input = new MemoryStream();
            foreach (var m in messages)
            {
                input.Write([(byte)(m.Length >> 8), (byte)m.Length]);
                input.Write(m);
            }

            var stream = new DuplexStream(input.ToArray());
            VpcdProtocol.ServeAsync(card, stream, CancellationToken.None).GetAwaiter().GetResult();

            var expected = new MemoryStream();
            var reference = new EchoCardEmulator();
            foreach (var m in messages)
            {
                byte[]? reply = m.Length == 1 ? (m[0] == VpcdProtocol.GetAtr ? reference.Atr.ToArray() : null) : reference.Process(m);
                if (reply is not null)
                {
                    expected.Write([(byte)(reply.Length >> 8), (byte)reply.Length]);
                    expected.Write(reply);
                }
            }

            Assert.Equal(expected.ToArray(), stream.Written.ToArray());
            Assert.Equal(messages.Count(m => m.Length == 1 && m[0] is VpcdProtocol.PowerOn or VpcdProtocol.Reset), card.Resets);
        }, iter: 200);
    }

    [Fact]
    public async Task ReportsALinkThatBreaksInsideAMessage()
    {
        var stream = new DuplexStream([0x00, 0x05, 0x00, 0xA4]);

        await Assert.ThrowsAsync<IOException>(() => VpcdProtocol.ServeAsync(new EchoCardEmulator(), stream, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void AnswersNoPreciseDiagnosisWhenTheEmulatorThrowsOrAnswersWithoutStatusWords()
    {
        Assert.Equal([0x6F, 0x00], VpcdProtocol.Handle(new BrokenCard(throws: true), [0x00, 0xA4, 0x00, 0x00]));
        Assert.Equal([0x6F, 0x00], VpcdProtocol.Handle(new BrokenCard(throws: false), [0x00, 0xA4, 0x00, 0x00]));
    }

    [Fact]
    public void PassesAnEmptyMessageToTheEmulatorAsAMalformedApdu()
    {
        Assert.Equal([0x67, 0x00], VpcdProtocol.Handle(new EchoCardEmulator(), []));
    }

    [Fact]
    public async Task FramesTheLengthBigEndian()
    {
        var card = new EchoCardEmulator();
        var data = new byte[300];
        var apdu = EchoCardEmulator.Command(0x80, 0xEE, 0, 0, data);
        var stream = new DuplexStream([(byte)(apdu.Length >> 8), (byte)apdu.Length, .. apdu]);

        await VpcdProtocol.ServeAsync(card, stream, TestContext.Current.CancellationToken);

        Assert.Equal(302, BinaryPrimitives.ReadUInt16BigEndian(stream.Written.ToArray()));
    }

    private sealed class BrokenCard(bool throws) : ICardEmulator
    {
        public ReadOnlyMemory<byte> Atr => new byte[] { 0x3B, 0x00 };

        public void Reset()
        {
        }

        public byte[] Process(ReadOnlySpan<byte> commandApdu)
            => throws ? throw new InvalidOperationException("emulator bug") : [0x90];
    }

    /// <summary>Reads from a fixed script, records what is written.</summary>
    private sealed class DuplexStream(byte[] script) : Stream
    {
        private readonly MemoryStream _input = new(script);

        public MemoryStream Written { get; } = new();

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => _input.Read(buffer, offset, Math.Min(count, 7));

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Written.Write(buffer, offset, count);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _input.Dispose();
                Written.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
