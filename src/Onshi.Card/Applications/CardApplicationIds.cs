namespace Onshi.Card.Applications;

/// <summary>DF names (AIDs) of the My Number card's applications (card-protocol.md §2).</summary>
public static class CardApplicationIds
{
    /// <summary>公的個人認証AP (JPKI-AP): the electronic certificates and their keys.</summary>
    public static ReadOnlyMemory<byte> Jpki { get; } = Convert.FromHexString("D392F000260100000001");

    /// <summary>券面事項入力補助AP (text): My Number and 基本4情報 as text.</summary>
    public static ReadOnlyMemory<byte> Text { get; } = Convert.FromHexString("D3921000310001010408");

    /// <summary>券面事項確認AP = 券面AP (visual): the card face, with the photo.</summary>
    public static ReadOnlyMemory<byte> Visual { get; } = Convert.FromHexString("D3921000310001010402");

    /// <summary>共通カードAP: card serial, municipality, card expiry.</summary>
    public static ReadOnlyMemory<byte> Common { get; } = Convert.FromHexString("D3921000310001010100");
}

/// <summary>Short EF identifiers (SFI = low byte of the FID, all in 01–1E) per application (§3).</summary>
public static class JpkiFiles
{
    public const byte SignCertificate = 0x01;
    public const byte SignCaCertificate = 0x02;
    public const byte TokenInfo = 0x06;
    public const byte CertificatePresence = 0x08;
    public const byte AuthCertificate = 0x0A;
    public const byte AuthCaCertificate = 0x0B;
    public const byte AuthKey = 0x17;
    public const byte AuthPin = 0x18;
    public const byte SignKey = 0x1A;
    public const byte SignPassword = 0x1B;
}

/// <summary>券面事項入力補助AP EFs.</summary>
public static class TextFiles
{
    public const byte MyNumber = 0x01;
    public const byte BasicInfo = 0x02;
    public const byte Integrity = 0x03;
    public const byte CvCertificate = 0x04;
    public const byte ApBasicInfo = 0x05;
    public const byte Pin = 0x11;
    public const byte BlockedKey = 0x12;
    public const byte CheckCodeA = 0x14;
    public const byte CheckCodeB = 0x15;
}

/// <summary>券面AP EFs.</summary>
public static class VisualFiles
{
    public const byte AgeRecord = 0x01;
    public const byte CardFace = 0x02;
    public const byte ApBasicInfo = 0x03;
    public const byte CvCertificate = 0x04;
    public const byte MyNumberImage = 0x05;

    /// <summary>X.509 certificate of the internal-authentication key (test 券面AP CA); free to read. Our choice, docs/card.md.</summary>
    public const byte InternalAuthenticationCertificate = 0x07;
    public const byte BirthDateKey = 0x11;
    public const byte CheckCodeB = 0x12;
    public const byte CheckCodeA = 0x13;

    /// <summary>Internal-authentication private key: INTERNAL AUTHENTICATE <c>00 88 00 97</c>, after 照合番号A or B.</summary>
    public const byte InternalAuthenticationKey = 0x17;
}

/// <summary>共通カードAP EFs.</summary>
public static class CommonFiles
{
    public const byte CardRecord = 0x01;
}
