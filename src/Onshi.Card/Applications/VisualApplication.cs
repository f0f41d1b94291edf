using Onshi.Card.Credentials;

namespace Onshi.Card.Applications;

/// <summary>券面AP (券面事項確認AP): the card face with the face photo, for 目視確認.</summary>
public sealed class VisualApplication
{
    private readonly CardSession _session;

    public VisualApplication(CardSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        _session = session;
    }

    /// <summary>VERIFY 照合番号B (EF 0012).</summary>
    public async Task<PinVerification> VerifyCheckCodeBAsync(CheckCodeB code, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(code);
        await _session.SelectApplicationAsync(CardApplicationIds.Visual, cancellationToken).ConfigureAwait(false);
        return await _session.VerifyAsync(VisualFiles.CheckCodeB, code.ToBytes(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Tries left on 照合番号B, without using one.</summary>
    public async Task<PinVerification> GetCheckCodeBStatusAsync(CancellationToken cancellationToken = default)
    {
        await _session.SelectApplicationAsync(CardApplicationIds.Visual, cancellationToken).ConfigureAwait(false);
        return await _session.VerifyAsync(VisualFiles.CheckCodeB, ReadOnlyMemory<byte>.Empty, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads and parses the card face (EF 0002) in one READ BINARY; needs 照合番号A or B verified.</summary>
    public async Task<CardFace> ReadCardFaceAsync(CancellationToken cancellationToken = default)
    {
        await _session.SelectApplicationAsync(CardApplicationIds.Visual, cancellationToken).ConfigureAwait(false);
        var data = await _session.ReadFileAsync(VisualFiles.CardFace, cancellationToken).ConfigureAwait(false);
        return CardRecordFormat.ParseCardFace(data);
    }
}
