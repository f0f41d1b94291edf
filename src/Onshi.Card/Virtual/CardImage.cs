using Onshi.Card.Applications;

namespace Onshi.Card.Virtual;

/// <summary>What kind of card was issued.</summary>
public enum CardKind
{
    /// <summary>An ordinary card with the three 4-digit PINs set.</summary>
    Standard = 1,

    /// <summary>
    /// 顔認証マイナンバーカード: issued without PINs. The virtual card holds the PIN key EFs blocked from the start
    /// (VERIFY answers 6984, the tries query 63C0), so the user-authentication key can never be used and the
    /// 券面事項入力補助AP opens only with 照合番号A/B. See docs/card.md.
    /// </summary>
    FaceAuthenticationOnly = 2,
}

/// <summary>
/// Everything a virtual My Number card is made of, as saved in a card image file (docs/card.md "Card image").
/// It is a test card: the private keys and PINs are in the file on purpose. The EF contents are derived from
/// these fields when the card is loaded, so the file stays readable and small.
/// </summary>
public sealed class CardImage
{
    public const string FormatName = "onshi-virtual-mynumber-card";
    public const int CurrentVersion = 1;

    public string Format { get; set; } = FormatName;

    public int Version { get; set; } = CurrentVersion;

    public CardKind Kind { get; set; } = CardKind.Standard;

    /// <summary>氏名 as on the card (family name, U+3000, given name).</summary>
    public string Name { get; set; } = "";

    /// <summary>氏名のフリガナ — not stored on real cards' chips; kept for the demo data only.</summary>
    public string? NameKana { get; set; }

    public string Address { get; set; } = "";

    public DateOnly BirthDate { get; set; }

    public Sex Sex { get; set; } = Sex.NotApplicable;

    /// <summary>外国人住民: 照合番号B and the 生年月日 key use the Gregorian two-digit year.</summary>
    public bool ForeignResident { get; set; }

    /// <summary>The 12-digit 個人番号 (with a valid check digit).</summary>
    public string MyNumber { get; set; } = "";

    /// <summary>カードの有効期限.</summary>
    public DateOnly CardExpiry { get; set; }

    /// <summary>セキュリティコード (4 digits printed on the card face).</summary>
    public string SecurityCode { get; set; } = "";

    /// <summary>利用者証明用電子証明書 暗証番号; null on a face-authentication-only card.</summary>
    public string? AuthPin { get; set; }

    /// <summary>券面事項入力補助用 暗証番号; null on a face-authentication-only card.</summary>
    public string? TextPin { get; set; }

    /// <summary>署名用電子証明書 パスワード; null when the card has no signature certificate.</summary>
    public string? SignPassword { get; set; }

    /// <summary>全国地方公共団体コード (5 digits with check digit).</summary>
    public string MunicipalityCode { get; set; } = "13221";

    /// <summary>カード製造番号 (15 ASCII digits) held in the 共通AP record.</summary>
    public string CardSerial { get; set; } = "";

    public byte[] FacePhotoJpeg2000 { get; set; } = [];

    public byte[] NamePng { get; set; } = [];

    public byte[] AddressPng { get; set; } = [];

    public byte[] SecurityCodePng { get; set; } = [];

    public byte[] MyNumberPng { get; set; } = [];

    /// <summary>False when the name/address PNGs are blank placeholders because no text renderer was available.</summary>
    public bool TextImagesRendered { get; set; }

    public byte[] AuthCertificate { get; set; } = [];

    public byte[] AuthCaCertificate { get; set; } = [];

    /// <summary>PKCS#8 DER of the user-authentication private key.</summary>
    public byte[] AuthPrivateKey { get; set; } = [];

    public byte[]? SignCertificate { get; set; }

    public byte[]? SignCaCertificate { get; set; }

    public byte[]? SignPrivateKey { get; set; }

    /// <summary>PKCS#8 DER of the key the text and visual APs sign their records with (the card public key).</summary>
    public byte[] ApPrivateKey { get; set; } = [];

    /// <summary>Card-verifiable certificate of the AP key (EF 0004 of the text and visual APs); test-CA signed.</summary>
    public byte[]? ApCvCertificate { get; set; }

    /// <summary>
    /// X.509 certificate of the AP key issued by the test 券面AP CA (visual EF 0007). The AP key answers INTERNAL
    /// AUTHENTICATE in the 券面AP once 照合番号A/B is verified: the server's proof that the card is in the reader
    /// in 目視確認. Null on cards issued before the 券面AP CA existed.
    /// </summary>
    public byte[]? ApCertificate { get; set; }

    /// <summary>Tries left per key, by <c>ap/FID</c> (e.g. <c>jpki/0018</c>). Missing entries mean "full".</summary>
    public Dictionary<string, int> RetryCounters { get; set; } = [];
}
