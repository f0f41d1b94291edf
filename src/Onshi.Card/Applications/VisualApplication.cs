using Onshi.Card.Apdu;
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

    /// <summary>
    /// The card's proof of presence for 目視確認: reads the internal-authentication certificate (EF 0007) and has the
    /// card sign <paramref name="challenge"/> (INTERNAL AUTHENTICATE, sha256WithRSA over the bytes sent). Needs 照合番号A
    /// or B verified in this AP. Null when the card has no such key (a card issued before the 券面AP CA existed).
    /// </summary>
    public async Task<(byte[] Certificate, byte[] Signature)?> ProvePresenceAsync(ReadOnlyMemory<byte> challenge, CancellationToken cancellationToken = default)
    {
        if (challenge.Length is < 1 or > 255)
        {
            throw new ArgumentException("INTERNAL AUTHENTICATE takes 1 to 255 challenge bytes.", nameof(challenge));
        }

        await _session.SelectApplicationAsync(CardApplicationIds.Visual, cancellationToken).ConfigureAwait(false);
        byte[] certificateBytes;
        try
        {
            certificateBytes = await _session.ReadFileAsync(VisualFiles.InternalAuthenticationCertificate, cancellationToken).ConfigureAwait(false);
        }
        catch (CardProtocolException e) when (e.Kind == CardProtocolErrorKind.NotFound)
        {
            return null;
        }

        var response = await _session.TransmitAsync(
            new CommandApdu(0x00, 0x88, 0x00, (byte)(0x80 | VisualFiles.InternalAuthenticationKey), challenge, CommandApdu.MaxShortNe), cancellationToken)
            .ConfigureAwait(false);
        var signature = response.EnsureSuccess("INTERNAL AUTHENTICATE").Data.ToArray();
        return (certificateBytes, signature);
    }

    /// <summary>Reads and parses the card face (EF 0002) in one READ BINARY; needs 照合番号A or B verified.</summary>
    public async Task<CardFace> ReadCardFaceAsync(CancellationToken cancellationToken = default)
    {
        await _session.SelectApplicationAsync(CardApplicationIds.Visual, cancellationToken).ConfigureAwait(false);
        var data = await _session.ReadFileAsync(VisualFiles.CardFace, cancellationToken).ConfigureAwait(false);
        return CardRecordFormat.ParseCardFace(data);
    }
}
