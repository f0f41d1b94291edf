using System.Text;
using Onshi.Card.Apdu;
using Onshi.Card.Applications;
using Onshi.Card.Tlv;
using Onshi.Jpki;
using Onshi.OqsXml.FileNames;
using Onshi.OqsXml.Layout;
using Onshi.OqsXml.Requests;
using Onshi.OqsXml.Responses;
using Onshi.Server.Devices;
using Onshi.Server.Import;

namespace Onshi.Fuzz;

/// <summary>
/// One entry per parser of outside input. Each target treats the parser's documented refusals (its typed exception
/// or its error result) as normal outcomes; anything else escaping — IndexOutOfRange, NullReference, Overflow,
/// stack overflow, a hang — is a crash for AFL++ to report.
/// </summary>
public static class FuzzTargets
{
    public static IReadOnlyDictionary<string, Action<byte[]>> All { get; } = new Dictionary<string, Action<byte[]>>
    {
        ["apdu-tlv"] = ApduTlv,
        ["oqs-xml"] = OqsXml,
        ["jpki-der"] = JpkiDer,
        ["dpop"] = Dpop,
        ["csv"] = Csv,
    };

    private static readonly DateTimeOffset At = new(2025, 6, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly Lazy<JpkiTrustAnchors> Anchors = new(() => JpkiTrustAnchors.LoadBundled(includeDigitalSignatureRoots: true));

    /// <summary>A card's response APDU, then its data as BER-TLV (recursively) and as each record layout the reader parses.</summary>
    private static void ApduTlv(byte[] input)
    {
        ResponseApdu response;
        try
        {
            response = ResponseApdu.Parse(input);
        }
        catch (CardProtocolException)
        {
            return;
        }

        Expect<CardProtocolException>(() => Walk(BerTlvReader.ReadAll(response.Data), depth: 0));
        Expect<CardProtocolException>(() => CardRecordFormat.ParseMyNumber(response.Data));
        Expect<CardProtocolException>(() => CardRecordFormat.ParseBasicFourInfo(response.Data));
        Expect<CardProtocolException>(() => CardRecordFormat.ParseCardFace(response.Data));
    }

    private static void Walk(IReadOnlyList<BerTlv> items, int depth)
    {
        foreach (var item in items)
        {
            if (item.IsConstructed && depth < 16)
            {
                Walk(item.Children(), depth + 1);
            }
        }
    }

    /// <summary>First byte picks the message kind, the rest is the file's bytes (any encoding the reader accepts).</summary>
    private static void OqsXml(byte[] input)
    {
        if (input.Length == 0)
        {
            return;
        }

        // The kind comes from the file name, never from the content: the agent reads only request names with the request
        // reader (a response kind there is a documented ArgumentException, a programming error). Response kinds go to the
        // response reader, which parses what the server sends back.
        var kinds = Enum.GetValues<OqsMessageKind>();
        var kind = kinds[input[0] % kinds.Length];
        if (typeof(OqsRequest).IsAssignableFrom(OqsLayouts.For(kind).ModelType))
        {
            _ = OqsRequestReader.Read(input.AsSpan(1), kind);
        }
        else
        {
            _ = OqsResponseReader.Read(input.AsSpan(1), kind);
        }
    }

    /// <summary>The bytes as a card certificate to verify (garbage must be refused, not thrown) and as a CRL to load.</summary>
    private static void JpkiDer(byte[] input)
    {
        var verifier = new JpkiVerifier(Anchors.Value, new JpkiRevocationStore(Anchors.Value));
        _ = verifier.Verify(input, new byte[256], "challenge"u8, At);
        _ = verifier.VerifyForVisualIdentification(input, At);
        _ = new JpkiRevocationStore(Anchors.Value).Load(input, At);
    }

    /// <summary>The DPoP header value as sent by a device (bytes decoded leniently, as Kestrel would hand them over).</summary>
    private static void Dpop(byte[] input) => _ = DeviceProofParser.TryParse(Encoding.UTF8.GetString(input));

    /// <summary>First byte picks the import file type; the rest is the CSV file (header row included), read and parsed row by row.</summary>
    private static void Csv(byte[] input)
    {
        if (input.Length == 0)
        {
            return;
        }

        var insurers = new HashSet<string>(StringComparer.Ordinal) { "06139992", "01130012" };
        switch (input[0] % 10)
        {
            case 0: ParseRows(new InsurerFile(), input, insurers); break;
            case 1: ParseRows(new PersonFile(), input, insurers); break;
            case 2: ParseRows(new ElderlyCertificateFile(), input, insurers); break;
            case 3: ParseRows(new LimitCertificateFile(), input, insurers); break;
            case 4: ParseRows(new SpecificDiseaseCertificateFile(), input, insurers); break;
            case 5: ParseRows(new MedicationFile(), input, insurers); break;
            case 6: ParseRows(new CheckupFile(), input, insurers); break;
            case 7: ParseRows(new TreatmentFile(), input, insurers); break;
            case 8: ParseRows(new SurgeryFile(), input, insurers); break;
            default: ParseRows(new CardLinkFile(At), input, insurers); break;
        }
    }

    private static void ParseRows<TRow>(ImportFileType<TRow> type, byte[] input, ISet<string> insurers)
        where TRow : class
    {
        using var stream = new MemoryStream(input, 1, input.Length - 1);
        using var reader = new CsvReader(stream);
        var fields = new FieldReader(type.Columns, insurers);
        try
        {
            // The importer compares the header row with the expected names and stops on a mismatch; the harness skips
            // that comparison so that mutated files reach the row parsers, which is where the work is.
            if (!reader.Read())
            {
                return;
            }

            for (var rows = 0; rows < 10_000 && reader.Read(); rows++)
            {
                // The importer refuses rows with the wrong number of fields before parsing them; so does the harness.
                if (reader.Record.IsBlank || reader.Record.Count != type.Columns.Count)
                {
                    continue;
                }

                fields.Begin(reader.Record);
                _ = type.Parse(fields);
            }
        }
        catch (CsvFormatException)
        {
            // A documented refusal of the whole file.
        }
    }

    private static void Expect<TException>(Action action)
        where TException : Exception
    {
        try
        {
            action();
        }
        catch (TException)
        {
            // The parser's documented refusal.
        }
    }
}
