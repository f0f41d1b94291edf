using System.Text;
using Onshi.OqsXml.Requests;
using Onshi.OqsXml.Responses;

namespace Onshi.OqsXml.Tests.Support;

/// <summary>Real-looking identifiers (valid check digits) and documents shared by the tests.</summary>
internal static class Samples
{
    /// <summary>A published, valid 医療機関コード (oqs-system.md §4).</summary>
    public const string InstitutionCode = "2714206386";

    /// <summary>The same code with a wrong check digit.</summary>
    public const string InstitutionCodeWrongCheckDigit = "2714206387";

    /// <summary>A valid 8-digit 保険者番号 (§4 test vector).</summary>
    public const string InsurerNumber = "33120015";

    public static readonly string NationalInsurerNumber = Core.Identifiers.InsurerNumber.FromBody("13845").Value;

    public static readonly Encoding ShiftJis = CodePagesEncodingProvider.Instance.GetEncoding(932)!;

    public static readonly DateTimeOffset ProcessedAt = new(2026, 9, 29, 7, 1, 12, TimeSpan.Zero);

    public static string QualificationRequestXml(
        string encodingName = "UTF-8",
        string institution = InstitutionCode,
        string insurer = InsurerNumber,
        string symbol = "東京あ",
        string birthdate = "19750102",
        string extraSearchElement = "") => $"""
        <?xml version="1.0" encoding="{encodingName}" standalone="no"?>
        <XmlMsg>
          <MessageHeader>
            <QualificationConfirmationDate>20260929</QualificationConfirmationDate>
            <MedicalInstitutionCode>{institution}</MedicalInstitutionCode>
            <ArbitraryFileIdentifier>202609290001</ArbitraryFileIdentifier>
          </MessageHeader>
          <MessageBody>
            <QualificationConfirmSearchInfo>
              <InsurerNumber>{insurer}</InsurerNumber>
              <InsuredCardSymbol>{symbol}</InsuredCardSymbol>
              <InsuredIdentificationNumber>1234567</InsuredIdentificationNumber>
              <InsuredBranchNumber>00</InsuredBranchNumber>
              <Birthdate>{birthdate}</Birthdate>{extraSearchElement}
              <LimitApplicationCertificateRelatedConsFlg>1</LimitApplicationCertificateRelatedConsFlg>
              <ArbitraryIdentifier>P-0001</ArbitraryIdentifier>
            </QualificationConfirmSearchInfo>
          </MessageBody>
        </XmlMsg>
        """;

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static byte[] Sjis(string text) => ShiftJis.GetBytes(text);

    public static OqsRequestHeader RequestHeader { get; } = new()
    {
        QualificationConfirmationDate = "20260929",
        MedicalInstitutionCode = InstitutionCode,
        ArbitraryFileIdentifier = "202609290001",
    };

    public static QualificationConfirmSearchInfo SearchInfo(int i = 0) => new()
    {
        InsurerNumber = i % 3 == 0 ? NationalInsurerNumber.PadLeft(8) : InsurerNumber,
        InsuredCardSymbol = "記号" + (i % 100).ToString("D2", System.Globalization.CultureInfo.InvariantCulture),
        InsuredIdentificationNumber = (100000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture),
        InsuredBranchNumber = "01",
        Birthdate = "19750102",
        LimitApplicationCertificateRelatedConsFlg = "1",
        ArbitraryIdentifier = "ROW" + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>A fully populated qualification: every element of ResultOfQualificationConfirmation set.</summary>
    public static ResultOfQualificationConfirmation FullResult(string name = "山田　太郎") => new()
    {
        InsuredCardClassification = "01",
        InsurerNumber = InsurerNumber,
        InsuredCardSymbol = "東京あ",
        InsuredIdentificationNumber = "1234567",
        InsuredBranchNumber = "00",
        PersonalFamilyClassification = "1",
        InsuredName = name,
        Name = name,
        NameOfOther = "山田　たろう",
        NameKana = "ﾔﾏﾀﾞ ﾀﾛｳ",
        NameOfOtherKana = "ﾔﾏﾀﾞ ﾀﾛｳ",
        Sex1 = "1",
        Sex2 = "2",
        Birthdate = "19750102",
        Address = "大阪府大阪市北区梅田１－１－１",
        PostNumber = "530-0001",
        QualificationDate = "20200401",
        DisqualificationDate = "20300331",
        InsuredCertificateIssuanceDate = "20200401",
        InsuredCardValidDate = "20200401",
        InsuredCardExpirationDate = "20300331",
        InsuredPartialContributionRatio = "030",
        PreschoolClassification = "1",
        ReasonOfLoss = "99",
        InsurerName = "警察共済組合",
        ElderlyRecipientCertificateInfo = new()
        {
            ElderlyRecipientCertificateDate = "20250801",
            ElderlyRecipientValidStartDate = "20250801",
            ElderlyRecipientValidEndDate = "20260731",
            ElderlyRecipientContributionRatio = "020",
        },
        LimitApplicationCertificateRelatedConsFlg = "1",
        LimitApplicationCertificateRelatedConsTime = "20260929160112",
        LimitApplicationCertificateRelatedInfo = new()
        {
            LimitApplicationCertificateClassification = "01",
            LimitApplicationCertificateClassificationFlag = "A03",
            LimitApplicationCertificateDate = "20250801",
            LimitApplicationCertificateValidStartDate = "20250801",
            LimitApplicationCertificateValidEndDate = "20260731",
            LimitApplicationCertificateLongTermDate = "20251001",
        },
        LimitApplicationCertificateChanged = "0",
        SpecificDiseasesCertificateRelatedConsFlg = "1",
        SpecificDiseasesCertificateRelatedConsTime = "20260929160112",
        SpecificDiseasesCertificates = new SpecificDiseasesCertificateInfo[]
        {
            new() { SpecificDiseasesDiseaseCategory = "1", SpecificDiseasesCertificateDate = "20240401", SpecificDiseasesValidStartDate = "20240401", SpecificDiseasesValidEndDate = "20270331", SpecificDiseasesSelfPay = "10000" },
            new() { SpecificDiseasesDiseaseCategory = "2", SpecificDiseasesCertificateDate = "20240401", SpecificDiseasesValidStartDate = "20240401", SpecificDiseasesValidEndDate = "20270331", SpecificDiseasesSelfPay = "20000" },
        },
        SpecificHealthCheckupsInfoConsFlg = "1",
        SpecificHealthCheckupsInfoConsTime = "20260929160112",
        SpecificHealthCheckupsInfoAvailableTime = "20260930160112",
        PharmacistsInfoConsFlg = "1",
        PharmacistsInfoConsTime = "20260929160112",
        PharmacistsInfoAvailableTime = "20260930160112",
        DiagnosisInfoConsFlg = "0",
        DiagnosisInfoConsTime = "20260929160112",
        DiagnosisInfoAvailableTime = "20260930160112",
        OperationInfoConsFlg = "2",
        OperationInfoConsTime = "20260929160112",
        OperationInfoAvailableTime = "20260930160112",
        ArbitraryIdentifier = "P-0001",
        QualificationConfirmationKey = "4da5260a16de5a3d3ad7",
    };

    public static QualificationConfirmationResult NormalBody(QualificationConfirmSearchInfo? echo, string name = "山田　太郎") => new()
    {
        ProcessingResultStatus = "1",
        QualificationValidity = "1",
        PrescriptionIssueSelect = "1",
        SearchInfo = echo,
        Results = new[] { FullResult(name) },
        ReferenceNumber = "KARTE-000123",
    };

    public static QualificationConfirmationResponse NormalResponse(string name = "山田　太郎") => new()
    {
        Header = OqsResponseFactory.Header(RequestHeader, ProcessedAt, referenceClassification: "2"),
        Body = NormalBody(SearchInfo(1), name),
    };
}
