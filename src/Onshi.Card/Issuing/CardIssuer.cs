using System.Formats.Asn1;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Onshi.Card.Applications;
using Onshi.Card.Credentials;
using Onshi.Card.Tlv;
using Onshi.Card.Virtual;

namespace Onshi.Card.Issuing;

/// <summary>Who the card is for, and any unusual property the test needs.</summary>
public sealed record CardIssueRequest
{
    public required string Name { get; init; }

    public string? NameKana { get; init; }

    public required string Address { get; init; }

    public required DateOnly BirthDate { get; init; }

    public Sex Sex { get; init; } = Sex.NotApplicable;

    /// <summary>Generated with a valid check digit when null.</summary>
    public string? MyNumber { get; init; }

    /// <summary>Both 4-digit PINs (利用者証明用 and 券面事項入力補助用); ignored for face-authentication-only cards.</summary>
    public string Pin { get; init; } = "1234";

    /// <summary>Random when null.</summary>
    public string? SecurityCode { get; init; }

    /// <summary>Default: 10th birthday after issue (5th for under-18s).</summary>
    public DateOnly? CardExpiry { get; init; }

    /// <summary>Default: issue time.</summary>
    public DateTimeOffset? CertificateNotBefore { get; init; }

    /// <summary>Default: the 5th birthday after issue.</summary>
    public DateTimeOffset? CertificateNotAfter { get; init; }

    /// <summary>Issue a user-authentication certificate that expired yesterday (validity: 5 years ending yesterday).</summary>
    public bool ExpiredCertificate { get; init; }

    /// <summary>Put the user-authentication certificate on the test CA's revocation list (the card itself is normal).</summary>
    public bool RevokedCertificate { get; init; }

    /// <summary>顔認証マイナンバーカード: no PINs.</summary>
    public bool FaceAuthenticationOnly { get; init; }

    public bool ForeignResident { get; init; }

    /// <summary>The caller's own JPEG 2000 photo; the committed synthetic face when null.</summary>
    public byte[]? FacePhotoJpeg2000 { get; init; }

    public string MunicipalityCode { get; init; } = "13221";

    /// <summary>署名用パスワード (6–16 of A–Z0–9). A signature certificate is issued only when the CA has a sign CA and the person is 15 or older.</summary>
    public string SignPassword { get; init; } = "TEST1234";
}

/// <summary>Issues virtual My Number cards from a <see cref="TestCertificateAuthority"/>.</summary>
public static class CardIssuer
{
    private static readonly TimeSpan Jst = TimeSpan.FromHours(9);

    /// <summary>The committed synthetic face photo (JPEG 2000, 120×150 greyscale; see Resources/make-synthetic-face.py).</summary>
    public static byte[] SyntheticFacePhoto()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Onshi.Card.Issuing.Resources.synthetic-face.jp2")
            ?? throw new InvalidOperationException("The synthetic face resource is missing from the assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>Refusals of a request, in Japanese; empty when it can be issued.</summary>
    public static IReadOnlyList<string> Validate(CardIssueRequest request, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(time);
        var errors = new List<string>();
        var today = DateOnly.FromDateTime(time.GetUtcNow().ToOffset(Jst).DateTime);
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            errors.Add("氏名を入力してください。");
        }

        if (string.IsNullOrWhiteSpace(request.Address))
        {
            errors.Add("住所を入力してください。");
        }

        if (request.BirthDate > today)
        {
            errors.Add("生年月日が未来の日付です。");
        }

        if (!request.ForeignResident && request.BirthDate < Onshi.Core.Dates.JapaneseDate.MinSupported)
        {
            errors.Add("生年月日を和暦に変換できません（明治より前）。");
        }

        if (!request.FaceAuthenticationOnly && CardPin.Validate(request.Pin) is { } pinError)
        {
            errors.Add(pinError.Message);
        }

        if (request.SecurityCode is not null && (request.SecurityCode.Length != 4 || !request.SecurityCode.All(char.IsAsciiDigit)))
        {
            errors.Add("セキュリティコードは数字4桁です。");
        }

        if (request.MyNumber is not null && !Credentials.MyNumber.IsValid(request.MyNumber))
        {
            errors.Add("個人番号は検査用数字が正しい12桁の数字です。");
        }

        if (request.MunicipalityCode.Length != 5 || !request.MunicipalityCode.All(char.IsAsciiDigit))
        {
            errors.Add("全国地方公共団体コードは数字5桁です。");
        }

        if (request.SignPassword.Length is < 6 or > 16 || !request.SignPassword.All(c => char.IsAsciiDigit(c) || char.IsAsciiLetterUpper(c)))
        {
            errors.Add("署名用パスワードは英大文字と数字の6〜16文字です。");
        }

        if (Encoding.UTF8.GetByteCount(request.Name) > 2000 || Encoding.UTF8.GetByteCount(request.Address) > 2000)
        {
            errors.Add("氏名・住所が長すぎます。");
        }

        return errors;
    }

    /// <summary>Issues a card. Revoked certificates are added to <paramref name="ca"/>'s list; save the CA afterwards.</summary>
    public static CardImage Issue(CardIssueRequest request, TestCertificateAuthority ca, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(ca);
        var errors = Validate(request, time);
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(request));
        }

        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.ToOffset(Jst).DateTime);
        var age = AgeOn(request.BirthDate, today);
        var myNumber = request.MyNumber ?? RandomMyNumber();
        var serial = RandomDigits(15);
        var cardExpiry = request.CardExpiry ?? NthBirthdayAfter(request.BirthDate, today, age >= 18 ? 10 : 5);
        var securityCode = request.SecurityCode ?? RandomDigits(4);

        using var authKey = RSA.Create(2048);
        using var apKey = RSA.Create(2048);
        DateTimeOffset notBefore, notAfter;
        if (request.ExpiredCertificate)
        {
            notAfter = now.AddDays(-1);
            notBefore = notAfter.AddYears(-5);
        }
        else
        {
            notBefore = request.CertificateNotBefore ?? now;
            notAfter = request.CertificateNotAfter ?? EndOfDayJst(NthBirthdayAfter(request.BirthDate, today, 5));
        }

        using var authCert = IssueAuthCertificate(ca, authKey, notBefore, notAfter, request.MunicipalityCode);
        if (request.RevokedCertificate)
        {
            ca.RevokeAuthCertificate(authCert, now);
        }

        var name = TextImageRenderer.Render(request.Name);
        var address = TextImageRenderer.Render(request.Address);
        var image = new CardImage
        {
            Kind = request.FaceAuthenticationOnly ? CardKind.FaceAuthenticationOnly : CardKind.Standard,
            Name = request.Name,
            NameKana = request.NameKana,
            Address = request.Address,
            BirthDate = request.BirthDate,
            Sex = request.Sex,
            ForeignResident = request.ForeignResident,
            MyNumber = myNumber,
            CardExpiry = cardExpiry,
            SecurityCode = securityCode,
            AuthPin = request.FaceAuthenticationOnly ? null : request.Pin,
            TextPin = request.FaceAuthenticationOnly ? null : request.Pin,
            MunicipalityCode = request.MunicipalityCode,
            CardSerial = serial,
            FacePhotoJpeg2000 = request.FacePhotoJpeg2000 ?? SyntheticFacePhoto(),
            NamePng = name.Png,
            AddressPng = address.Png,
            TextImagesRendered = name.Rendered && address.Rendered,
            SecurityCodePng = DigitImage.Render(securityCode),
            MyNumberPng = DigitImage.Render(myNumber),
            AuthCertificate = authCert.RawData,
            AuthCaCertificate = ca.AuthCa.RawData,
            AuthPrivateKey = authKey.ExportPkcs8PrivateKey(),
            ApPrivateKey = apKey.ExportPkcs8PrivateKey(),
            ApCvCertificate = CvCertificate(ca, apKey, serial),
        };
        if (ca.VisualCa is not null)
        {
            using var apCertificate = IssueApCertificate(ca.VisualCa, apKey, authCert, now, EndOfDayJst(cardExpiry));
            image.ApCertificate = apCertificate.RawData;
        }

        if (request.FaceAuthenticationOnly)
        {
            // No PIN was ever set: the PIN keys exist but are blocked (docs/card.md).
            image.RetryCounters["jpki/0018"] = 0;
            image.RetryCounters["text/0011"] = 0;
        }

        if (ca.SignCa is not null)
        {
            image.SignCaCertificate = ca.SignCa.RawData;
            if (age >= 15 && !request.FaceAuthenticationOnly)
            {
                using var signKey = RSA.Create(2048);
                using var signCert = IssueSignCertificate(ca, signKey, request, notBefore, notAfter);
                image.SignCertificate = signCert.RawData;
                image.SignPrivateKey = signKey.ExportPkcs8PrivateKey();
                image.SignPassword = request.SignPassword;
            }
        }

        return image;
    }

    /// <summary>The birthday that is the <paramref name="n"/>-th one strictly after <paramref name="from"/> (29 Feb → 28 Feb).</summary>
    public static DateOnly NthBirthdayAfter(DateOnly birthDate, DateOnly from, int n)
    {
        var thisYear = BirthdayIn(birthDate, from.Year);
        var first = thisYear > from ? thisYear : BirthdayIn(birthDate, from.Year + 1);
        return BirthdayIn(birthDate, first.Year + n - 1);
    }

    private static DateOnly BirthdayIn(DateOnly birthDate, int year) =>
        new(year, birthDate.Month, Math.Min(birthDate.Day, DateTime.DaysInMonth(year, birthDate.Month)));

    private static int AgeOn(DateOnly birthDate, DateOnly day)
    {
        var age = day.Year - birthDate.Year;
        return BirthdayIn(birthDate, day.Year) > day ? age - 1 : age;
    }

    private static DateTimeOffset EndOfDayJst(DateOnly day) =>
        new DateTimeOffset(day.ToDateTime(new TimeOnly(23, 59, 59)), Jst).ToUniversalTime();

    private static X509Certificate2 IssueAuthCertificate(TestCertificateAuthority ca, RSA key, DateTimeOffset notBefore, DateTimeOffset notAfter,
        string municipalityCode)
    {
        // Subject carries no personal data: C=JP, CN=<opaque 23-character id>.
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCountryOrRegion("JP");
        subject.AddCommonName(OpaqueId(municipalityCode));
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(PolicyExtension(TestCertificateAuthority.AuthPolicyOid));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca.AuthCa, true, false));
        return request.Create(ca.AuthCa, notBefore, notAfter, RandomSerial());
    }

    private static X509Certificate2 IssueSignCertificate(TestCertificateAuthority ca, RSA key, CardIssueRequest person,
        DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCountryOrRegion("JP");
        subject.AddLocalityName("TEST-" + person.MunicipalityCode);
        subject.AddCommonName(OpaqueId(person.MunicipalityCode));
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, true));
        request.CertificateExtensions.Add(PolicyExtension(TestCertificateAuthority.SignPolicyOid));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca.SignCa!, true, false));

        // 4 attributes as otherName entries (OIDs 1.2.392.200149.8.5.5.x): 1 name, 3 sex, 4 birth date, 5 address.
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            void OtherName(string oid, string value)
            {
                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, true)))
                {
                    writer.WriteObjectIdentifier(oid);
                    using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, true)))
                    {
                        writer.WriteCharacterString(UniversalTagNumber.UTF8String, value);
                    }
                }
            }

            OtherName("1.2.392.200149.8.5.5.1", person.Name);
            OtherName("1.2.392.200149.8.5.5.3", ((int)person.Sex).ToString(CultureInfo.InvariantCulture));
            OtherName("1.2.392.200149.8.5.5.4", person.BirthDate.ToString("yyyyMMdd", CultureInfo.InvariantCulture));
            OtherName("1.2.392.200149.8.5.5.5", person.Address);
        }

        request.CertificateExtensions.Add(new X509Extension("2.5.29.17", writer.Encode(), false));
        return request.Create(ca.SignCa!, notBefore, notAfter, RandomSerial());
    }

    /// <summary>
    /// The 券面AP internal-authentication certificate. Its subject serialNumber names the card's 利用者証明用 certificate
    /// as "&lt;authority key id hex&gt;:&lt;serial hex&gt;", so a server can tell that the card that proved its presence
    /// is the card whose certificate is linked to the patient (docs/card.md "券面AP internal authentication").
    /// </summary>
    private static X509Certificate2 IssueApCertificate(X509Certificate2 visualCa, RSA apKey, X509Certificate2 authCert,
        DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCountryOrRegion("JP");
        subject.AddOrganizationName("JPKI-TEST");
        subject.AddCommonName("Card face AP internal authentication (TEST)");
        subject.Add("2.5.4.5", CardBinding(authCert), UniversalTagNumber.PrintableString);
        var request = new CertificateRequest(subject.Build(), apKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(visualCa, true, false));
        var validTo = notAfter < visualCa.NotAfter ? notAfter : new DateTimeOffset(visualCa.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        return request.Create(visualCa, notBefore, validTo, RandomSerial());
    }

    /// <summary>"AKI:SERIAL" of a 利用者証明用 certificate: the value the server expects (Onshi.Jpki.CardPresenceVerifier).</summary>
    public static string CardBinding(X509Certificate2 authCertificate) =>
        Onshi.Jpki.CardPresenceVerifier.ExpectedBinding(authCertificate)
            ?? throw new ArgumentException("The certificate has no authority key identifier.", nameof(authCertificate));

    private static X509Extension PolicyExtension(string oid)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(oid);
            }
        }

        return new X509Extension("2.5.29.32", writer.Encode(), true);
    }

    /// <summary>Test CV certificate for the 券面 APs' key: 7F21 { 5F4E {issuer key-ID, subject key-ID, 90, 91}, 5F37 sig }.</summary>
    private static byte[] CvCertificate(TestCertificateAuthority ca, RSA apKey, string cardSerial)
    {
        byte[] issuerKeyId = [.. "6000023"u8, 0x08, 0x05, .. "001"u8, 0, 0, 0, 0];
        var subjectKeyId = SHA256.HashData(Encoding.ASCII.GetBytes(cardSerial)).AsSpan(0, 16).ToArray();
        var body = BerTlv.Encode(0x5F4E, [.. issuerKeyId, .. subjectKeyId, .. CardRecordFormat.EncodeCardPublicKey(apKey)]);
        return BerTlv.EncodeConstructed(0x7F21, body, BerTlv.Encode(0x5F37, ca.SignWithAuthCaKey(body)));
    }

    private static string OpaqueId(string municipalityCode)
    {
        const string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        var head = new string(Enumerable.Range(0, 14).Select(_ => alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)]).ToArray());
        return $"{head}{municipalityCode}003A";
    }

    private static byte[] RandomSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01);
        return serial;
    }

    private static string RandomDigits(int count) =>
        new(Enumerable.Range(0, count).Select(_ => (char)('0' + RandomNumberGenerator.GetInt32(10))).ToArray());

    private static string RandomMyNumber()
    {
        var first = RandomDigits(11);
        return first + Credentials.MyNumber.CheckDigit(first).ToString(CultureInfo.InvariantCulture);
    }
}
