using System.Reflection;
using CsCheck;
using Onshi.Core.Codes;

namespace Onshi.Core.Tests.Codes;

public sealed class CodeTableTests
{
    // Every table through one generic path, so a new table is covered by adding it to OqsCodes.All.
    public static TheoryData<string> TableIds() => [.. OqsCodes.All.Select(t => (string)t.GetType().GetProperty("Id")!.GetValue(t)!)];

    private static object Table(string id) => OqsCodes.All.Single(t => (string)t.GetType().GetProperty("Id")!.GetValue(t)! == id);

    private static void Invoke(string id, string method)
    {
        var table = Table(id);
        var enumType = table.GetType().GetGenericArguments()[0];
        typeof(CodeTableTests).GetMethod(method, BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(enumType).Invoke(null, [table]);
    }

    [Theory]
    [MemberData(nameof(TableIds))]
    public void EveryCodeRoundTrips(string id) => Invoke(id, nameof(RoundTrip));

    [Theory]
    [MemberData(nameof(TableIds))]
    public void UnknownCodesAreRefusedWithAJapaneseMessage(string id) => Invoke(id, nameof(RefuseUnknown));

    private static void RoundTrip<TEnum>(CodeTable<TEnum> table) where TEnum : struct, Enum
    {
        Assert.Equal(Enum.GetValues<TEnum>().Length, table.Entries.Count);
        foreach (var entry in table.Entries)
        {
            var parsed = table.Parse(entry.Code);
            Assert.True(parsed.IsValid, parsed.Error?.Message);
            Assert.Equal(entry.Value, parsed.Value);
            Assert.Equal(entry.Code, table.ToCode(entry.Value));
            Assert.Equal(entry.Code, entry.Value.ToWireCode());
            Assert.Equal(entry.Label, entry.Value.ToLabel());
            Assert.True(table.TryParse(entry.Code, out var value));
            Assert.Equal(entry.Value, value);
            Assert.False(string.IsNullOrWhiteSpace(entry.Label));
        }
    }

    private static void RefuseUnknown<TEnum>(CodeTable<TEnum> table) where TEnum : struct, Enum
    {
        var empty = table.Parse("");
        Assert.Equal(CodeErrorKind.Empty, empty.Error!.Kind);
        Assert.Equal("code.empty", empty.Error.MachineCode);
        Assert.Equal(CodeErrorKind.Empty, table.Parse(null).Error!.Kind);

        var known = table.Entries.Select(e => e.Code).ToHashSet(StringComparer.Ordinal);
        Gen.String[Gen.Char["0123456789ABSTKYZRJHX "], 1, 4].Where(s => !known.Contains(s)).Sample(code =>
        {
            var result = table.Parse(code);
            Assert.False(result.IsValid);
            Assert.Equal("code.unknown", result.Error!.MachineCode);
            Assert.Equal(table.Id, result.Error.TableId);
            Assert.Contains(table.Name, result.Error.Message, StringComparison.Ordinal);
            Assert.Contains(code, result.Error.Message, StringComparison.Ordinal);
            Assert.False(table.TryParse(code, out _));
        }, iter: 200);
    }

    [Fact]
    public void CodesAreComparedExactly()
    {
        // "1" is 資格有効性 有効, but "01", " 1" and "１" (full-width) are not codes of that table.
        Assert.Equal(QualificationValidity.Valid, OqsCodes.QualificationValidity.Parse("1").Value);
        Assert.False(OqsCodes.QualificationValidity.Parse("01").IsValid);
        Assert.False(OqsCodes.QualificationValidity.Parse(" 1").IsValid);
        Assert.False(OqsCodes.QualificationValidity.Parse("１").IsValid);
        Assert.False(OqsCodes.ReasonOfLoss.Parse("1").IsValid);
        Assert.False(OqsCodes.PartialContributionRatio.Parse("10").IsValid);
        Assert.False(OqsCodes.LimitApplicationBracket.Parse("a01").IsValid);
    }

    [Fact]
    public void KnowsTheRealQualificationValues()
    {
        Assert.Equal("3", QualificationValidity.InvalidNewQualificationExists.ToWireCode());
        Assert.Equal("無効（新しい資格あり）", QualificationValidity.InvalidNewQualificationExists.ToLabel());
        Assert.Equal(PartialContributionRatio.ThreeTenths, OqsCodes.PartialContributionRatio.Parse("030").Value);
        Assert.Equal("A1", InsuredCardClassification.MedicalAssistance.ToWireCode());
        Assert.Equal("B10", LimitApplicationBracket.General1.ToWireCode());
        Assert.Equal("オ(境)", OqsCodes.LimitApplicationBracket.ToLabel(LimitApplicationBracket.BracketOBoundary));
        Assert.Equal("9", SegmentOfResult.Abnormal.ToWireCode());
        Assert.Equal("99", ReasonOfLoss.Other.ToWireCode());
        Assert.Equal(ConsentFlag.Difficult, OqsCodes.ConsentFlag.Parse("3").Value);
        Assert.Equal("外来", MedicalTreatmentFlag.Outpatient.ToLabel());
        Assert.Equal(16, OqsCodes.LimitApplicationBracket.Entries.Count);
    }

    [Fact]
    public void TableIdsAndCodesAreUnique()
    {
        var ids = OqsCodes.All.Select(t => (string)t.GetType().GetProperty("Id")!.GetValue(t)!).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void RefusesATableThatMissesAnEnumValue()
    {
        Assert.Throws<InvalidOperationException>(() => new CodeTable<DayOfWeek>("TEST", "テスト", (DayOfWeek.Monday, "1", "月")));
        Assert.Throws<ArgumentException>(() => OqsCodes.For<DayOfWeek>());
    }
}
