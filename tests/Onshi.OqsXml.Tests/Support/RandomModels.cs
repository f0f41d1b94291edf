using System.Globalization;
using Onshi.Core.Identifiers;
using Onshi.OqsXml.FileNames;
using Onshi.OqsXml.Layout;
using Onshi.OqsXml.Requests;
using Onshi.OqsXml.Responses;

namespace Onshi.OqsXml.Tests.Support;

/// <summary>Valid random models, driven by a seed so CsCheck can replay a failing case.</summary>
internal static class RandomModels
{
    // Kanji (incl. 髙 and ① from CP932 extensions), kana, half-width kana, full-width and ASCII: all Shift_JIS-safe.
    private const string ShiftJisSafe = "山田太郎花子髙橋①あいうアイウｱｲｳﾞ ＡＢＣabcXYZ0123-　・ー";

    public static string Text(Random random, int max)
    {
        var length = random.Next(1, max + 1);
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = ShiftJisSafe[random.Next(ShiftJisSafe.Length)];
        }

        chars[0] = ShiftJisSafe[random.Next(12)];
        return new string(chars);
    }

    public static string Date(Random random) =>
        new DateTime(1900, 1, 1).AddDays(random.Next(0, 60000)).ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static string DateTime(Random random) =>
        new DateTime(2000, 1, 1).AddSeconds(random.Next()).ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);

    public static string Digits(Random random, int count) =>
        string.Concat(Enumerable.Range(0, count).Select(_ => (char)('0' + random.Next(10))));

    public static string Institution(Random random)
    {
        var body = random.Next(1, 48).ToString("D2", CultureInfo.InvariantCulture) + "1346"[random.Next(4)] + Digits(random, 6);
        return MedicalInstitutionCode.FromBody(body).Value;
    }

    public static string Insurer(Random random)
    {
        var prefecture = random.Next(1, 48).ToString("D2", CultureInfo.InvariantCulture);
        return random.Next(2) == 0
            ? InsurerNumber.FromBody(Digits(random, 2) + prefecture + Digits(random, 3)).Value
            : InsurerNumber.FromBody(prefecture + Digits(random, 3)).ToPaddedString();
    }

    /// <summary>A value valid for the format: built from the format's own description so new formats fail loudly here.</summary>
    public static string ValueFor(Random random, FieldFormat format)
    {
        if (format.Codes is { } codes)
        {
            return codes.Entries[random.Next(codes.Entries.Count)].Code;
        }

        return format switch
        {
            _ when format == FieldFormat.Date => Date(random),
            _ when format == FieldFormat.Month => Date(random)[..6],
            _ when format == FieldFormat.DateTime => DateTime(random),
            _ when format == FieldFormat.MedicalInstitutionCode => Institution(random),
            _ when format == FieldFormat.InsurerNumber => Insurer(random),
            _ when format == FieldFormat.BranchNumber => Digits(random, 2),
            _ when format == FieldFormat.Ratio => Digits(random, 3),
            _ when format == FieldFormat.Count || format == FieldFormat.Amount => random.Next(0, 1_000_000).ToString(CultureInfo.InvariantCulture),
            _ when format == FieldFormat.ReceptionNumber => "R" + Digits(random, random.Next(1, 19)),
            _ when format == FieldFormat.PostNumber => Digits(random, 3) + "-" + Digits(random, 4),
            _ when format == FieldFormat.ErrorCode => "ONSX" + Digits(random, 4),
            _ when format.Pattern == "^.+$" => Text(random, format.MaxLength!.Value),
            _ => throw new InvalidOperationException("No generator for " + format.Description),
        };
    }

    /// <summary>Fills every leaf under a container on a fresh model; optional leaves are left out a third of the time.</summary>
    public static T Fill<T>(Random random, LayoutNode container, bool requiredOnly = false)
        where T : class, new()
    {
        var model = new T();
        FillInto(random, container, model, requiredOnly);
        return model;
    }

    private static void FillInto(Random random, LayoutNode container, object model, bool requiredOnly)
    {
        foreach (var child in container.Children)
        {
            var include = child.Occurrence == Occurrence.Required || (!requiredOnly && random.Next(3) != 0);
            switch (child.Kind)
            {
                case LayoutNodeKind.Leaf when include:
                    child.SetValue(model, ValueFor(random, child.Format!));
                    break;
                case LayoutNodeKind.Inline:
                    FillInto(random, child, model, requiredOnly);
                    break;
                case LayoutNodeKind.Group when include:
                    var group = Activator.CreateInstance(child.ItemType!)!;
                    FillInto(random, child, group, requiredOnly);
                    child.SetValue(model, group);
                    break;
                case LayoutNodeKind.Repeated when include:
                    var items = Enumerable.Range(0, random.Next(1, 4)).Select(_ =>
                    {
                        var item = Activator.CreateInstance(child.ItemType!)!;
                        FillInto(random, child, item, requiredOnly);
                        return item;
                    }).ToList();
                    child.SetValue(model, child.MakeList!(items));
                    break;
            }
        }
    }

    private static LayoutNode Node(OqsLayout layout, string name) => layout.Flatten().First(e => e.Node.Name == name).Node;

    public static QualificationConfirmationResponse ConfirmationResponse(Random random)
    {
        var layout = OqsLayouts.For(OqsMessageKind.QualificationConfirmationResponse);
        var results = Enumerable.Range(0, random.Next(1, 3))
            .Select(_ => Fill<ResultOfQualificationConfirmation>(random, Node(layout, "ResultOfQualificationConfirmation")))
            .Select(r => r.InsuredCardClassification == "A1" ? r : r with { MedicalTickets = EquatableList.Empty<MedicalTicketInfo>() })
            .ToArray();

        // Validity 6 belongs to 医療扶助 results only, 5 to 医療保険 only (OqsResponseRules).
        var validity = OqsCodeSets.QualificationValidity.Entries[random.Next(6)].Code;
        if (validity == "4"
            || (validity == "6" && results.Any(r => r.InsuredCardClassification != "A1"))
            || (validity == "5" && results.Any(r => r.InsuredCardClassification == "A1")))
        {
            validity = "1";
        }

        var code = random.Next(2) == 0 ? "ONSX" + Digits(random, 4) : null;
        return new QualificationConfirmationResponse
        {
            Header = new OqsResponseHeader
            {
                ProcessExecutionTime = DateTime(random),
                QualificationConfirmationDate = Date(random),
                MedicalInstitutionCode = Institution(random),
                ArbitraryFileIdentifier = random.Next(2) == 0 ? null : Text(random, 50),
                ReferenceClassification = random.Next(2) == 0 ? "1" : "2",
                SegmentOfResult = "1",
            },
            Body = new QualificationConfirmationResult
            {
                ProcessingResultStatus = "1",
                ProcessingResultCode = code,
                ProcessingResultMessage = code is null ? null : Text(random, 200),
                QualificationValidity = validity,
                PrescriptionIssueSelect = random.Next(2) == 0 ? null : "2",
                SearchInfo = random.Next(2) == 0 ? null : Fill<QualificationConfirmSearchInfo>(random, Node(layout, "QualificationConfirmSearchInfo")),
                Results = results,
                ReferenceNumber = random.Next(2) == 0 ? null : Text(random, 50),
            },
        };
    }

    public static BulkQualificationConfirmationRequest BulkRequest(Random random, int rows)
    {
        var layout = OqsLayouts.For(OqsMessageKind.BulkQualificationConfirmationRequest);
        return new BulkQualificationConfirmationRequest
        {
            Header = Fill<OqsRequestHeader>(random, layout.Root.Children[0]),
            SearchInfos = Enumerable.Range(0, rows).Select(_ => Fill<QualificationConfirmSearchInfo>(random, Node(layout, "QualificationConfirmSearchInfo"))).ToArray(),
        };
    }
}
