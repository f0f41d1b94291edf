using System.Text;
using Onshi.Card.Credentials;

namespace Onshi.Card.Applications;

/// <summary>券面事項入力補助AP: 基本4情報 and the My Number as text.</summary>
public sealed class TextApplication
{
    private readonly CardSession _session;

    public TextApplication(CardSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        _session = session;
    }

    /// <summary>VERIFY the 4-digit 券面事項入力補助用暗証番号 (opens 基本4情報 and the My Number).</summary>
    public async Task<PinVerification> VerifyPinAsync(string pin, CancellationToken cancellationToken = default)
    {
        var format = CardPin.Validate(pin);
        if (format is not null)
        {
            return new PinVerification(PinVerificationOutcome.InvalidFormat, null, format.Message);
        }

        await _session.SelectApplicationAsync(CardApplicationIds.Text, cancellationToken).ConfigureAwait(false);
        return await _session.VerifyAsync(TextFiles.Pin, Encoding.ASCII.GetBytes(pin), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Tries left on the text-AP PIN, without using one.</summary>
    public async Task<PinVerification> GetPinStatusAsync(CancellationToken cancellationToken = default)
    {
        await _session.SelectApplicationAsync(CardApplicationIds.Text, cancellationToken).ConfigureAwait(false);
        return await _session.VerifyAsync(TextFiles.Pin, ReadOnlyMemory<byte>.Empty, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>VERIFY 照合番号B (opens 基本4情報 but not the My Number).</summary>
    public async Task<PinVerification> VerifyCheckCodeBAsync(CheckCodeB code, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(code);
        await _session.SelectApplicationAsync(CardApplicationIds.Text, cancellationToken).ConfigureAwait(false);
        return await _session.VerifyAsync(TextFiles.CheckCodeB, code.ToBytes(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads 基本4情報 (one READ BINARY); needs the PIN or 照合番号B verified.</summary>
    public async Task<BasicFourInfo> ReadBasicFourInfoAsync(CancellationToken cancellationToken = default)
    {
        await _session.SelectApplicationAsync(CardApplicationIds.Text, cancellationToken).ConfigureAwait(false);
        var data = await _session.ReadFileAsync(TextFiles.BasicInfo, cancellationToken).ConfigureAwait(false);
        return CardRecordFormat.ParseBasicFourInfo(data);
    }

    /// <summary>Reads the 12-digit My Number (one READ BINARY of 17 bytes); needs the PIN verified.</summary>
    public async Task<string> ReadMyNumberAsync(CancellationToken cancellationToken = default)
    {
        await _session.SelectApplicationAsync(CardApplicationIds.Text, cancellationToken).ConfigureAwait(false);
        var data = await _session.ReadPrefixAsync(TextFiles.MyNumber, 17, cancellationToken).ConfigureAwait(false);
        return CardRecordFormat.ParseMyNumber(data);
    }
}
