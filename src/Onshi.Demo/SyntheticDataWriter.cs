using System.Globalization;
using System.Text;
using Onshi.Core.Codes;
using Onshi.Core.Identifiers;

namespace Onshi.Demo;

/// <summary>What to generate. Everything follows from <see cref="Seed"/> and <see cref="Today"/>: same inputs, same files.</summary>
public sealed record SyntheticOptions
{
    public required int Persons { get; init; }

    public int Seed { get; init; } = 1;

    /// <summary>The day ages, validity periods and medical-record dates are computed for (a JST date).</summary>
    public required DateOnly Today { get; init; }

    public bool MedicalRecords { get; init; } = true;

    /// <summary>How many of the first persons to keep in memory for card issuing.</summary>
    public int KeepFirst { get; init; }
}

/// <summary>One generated person (kept for the first <see cref="SyntheticOptions.KeepFirst"/>, to issue their cards).</summary>
public sealed record SyntheticPerson(long Id, string Name, string NameKana, Sex Sex, DateOnly Birthdate, string Address, string PostNumber, string InsurerNumber, bool Valid);

/// <summary>Counts per file and the kept persons.</summary>
public sealed record SyntheticSummary(IReadOnlyDictionary<string, long> Rows, IReadOnlyList<SyntheticPerson> FirstPersons);

/// <summary>
/// テスト用データセットアップ: writes a realistic synthetic population as import CSV files (docs/import.md):
/// households of 本人 and 家族 with 協会けんぽ (法別01), 健康保険組合 (06), 国保 (6 digits) and 後期高齢者医療 (39);
/// job changes (a lost qualification, 喪失事由 03, followed by a new one), a few persons with only lost
/// qualifications, 未就学 children with 2割, 高齢受給者証 for 70–74, 限度額 and 特定疾病 certificates consistent with
/// the person's age, and medical records inside and outside their retention periods. Streams row by row.
/// </summary>
public static class SyntheticDataWriter
{
    public static readonly IReadOnlyList<string> Files =
        ["insurers", "persons", "elderly-certificates", "limit-certificates", "specific-disease-certificates", "medications", "checkups", "treatments", "surgeries"];

    public static SyntheticSummary Write(string directory, SyntheticOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(directory);
        var writers = Files.ToDictionary(f => f, f => new CsvFileWriter(Path.Combine(directory, f + ".csv")));
        try
        {
            var generator = new Generator(options, writers);
            generator.Run();
            return new SyntheticSummary(writers.ToDictionary(w => w.Key, w => w.Value.Rows), generator.Kept);
        }
        finally
        {
            foreach (var writer in writers.Values)
            {
                writer.Dispose();
            }
        }
    }

    private sealed class Generator(SyntheticOptions options, Dictionary<string, CsvFileWriter> files)
    {
        private readonly Random _random = new(options.Seed);
        private readonly DateOnly _today = options.Today;
        private readonly Dictionary<string, int> _nextNumber = [];
        private long _nextId;

        public List<SyntheticPerson> Kept { get; } = [];

        private sealed record Member(long Id, string Name, string Kana, Sex Sex, DateOnly Birthdate, int Age);

        public void Run()
        {
            files["insurers"].Header("insurer_number", "name");
            files["persons"].Header("person_id", "name", "name_kana", "sex", "birthdate", "post_number", "address", "insurer_number", "symbol", "number", "branch", "relationship",
                "insured_name", "card_classification", "qualification_date", "disqualification_date", "loss_reason", "card_issued_on", "card_valid_from", "card_valid_until", "contribution_ratio", "preschool");
            files["elderly-certificates"].Header("person_id", "insurer_number", "issued_on", "valid_from", "valid_until", "contribution_ratio");
            files["limit-certificates"].Header("person_id", "insurer_number", "issued_on", "valid_from", "valid_until", "classification", "bracket", "long_term_date");
            files["specific-disease-certificates"].Header("person_id", "insurer_number", "issued_on", "valid_from", "valid_until", "category", "self_pay_limit");
            files["medications"].Header("person_id", "dispensed_on", "institution_name", "drug_code", "drug_name", "dose", "days");
            files["checkups"].Header("person_id", "checked_on", "institution_name", "height_cm", "weight_kg", "waist_cm", "systolic", "diastolic", "hba1c", "ldl");
            files["treatments"].Header("person_id", "treated_on", "institution_name", "diagnosis_name", "procedure_name", "inpatient");
            files["surgeries"].Header("person_id", "performed_on", "institution_name", "procedure_code", "procedure_name");

            var prefectures = new HashSet<string>(StringComparer.Ordinal);
            foreach (var place in SyntheticNames.Places)
            {
                var city = place.City;
                if (prefectures.Add(place.Prefecture))
                {
                    files["insurers"].Row(Kyokai(place.Prefecture), "全国健康保険協会" + PrefectureName(city) + "支部");
                    for (var i = 0; i < 3; i++)
                    {
                        files["insurers"].Row(Kumiai(place.Prefecture, i), PrefectureName(city) + "テスト" + (char)('A' + i) + "健康保険組合");
                    }

                    files["insurers"].Row(Koki(place.Prefecture), PrefectureName(city) + "後期高齢者医療広域連合");
                }

                files["insurers"].Row(Kokuho(place), city.Replace(PrefectureName(city), "", StringComparison.Ordinal));
            }

            while (_nextId < options.Persons)
            {
                Household();
            }
        }

        private void Household()
        {
            var place = SyntheticNames.Places[_random.Next(SyntheticNames.Places.Length)];
            var surname = SyntheticNames.Surnames[_random.Next(SyntheticNames.Surnames.Length)];
            var address = $"{place.City}{place.Towns[_random.Next(place.Towns.Length)]}{_random.Next(1, 6)}-{_random.Next(1, 30)}-{_random.Next(1, 20)}";
            var post = $"{place.PostPrefix}-{_random.Next(0, 10000):0000}";
            var headAge = 20 + (int)(Math.Pow(_random.NextDouble(), 1.3) * 72);
            var head = NewMember(surname, headAge, _random.Next(2) == 0 ? Sex.Male : Sex.Female);
            var members = new List<Member> { head };
            if (headAge >= 27 && _random.NextDouble() < 0.6 && _nextId < options.Persons)
            {
                members.Add(NewMember(surname, Math.Clamp(headAge + _random.Next(-5, 6), 20, 95), head.Sex == Sex.Male ? Sex.Female : Sex.Male));
            }

            if (headAge is >= 25 and < 60)
            {
                var children = _random.Next(0, 4);
                for (var i = 0; i < children && _nextId < options.Persons; i++)
                {
                    members.Add(NewMember(surname, _random.Next(0, Math.Min(headAge - 20, 22)), _random.Next(2) == 0 ? Sex.Male : Sex.Female));
                }
            }

            var employed = headAge < 65 && _random.NextDouble() < 0.65;
            var employer = employed ? (_random.NextDouble() < 0.65 ? Kyokai(place.Prefecture) : Kumiai(place.Prefecture, _random.Next(3))) : Kokuho(place);
            var symbol = employed ? _random.Next(1000, 9999).ToString(CultureInfo.InvariantCulture) : "国" + _random.Next(10, 99).ToString(CultureInfo.InvariantCulture);
            var householdNumber = NextNumber(employer);
            var hired = employed ? Max(head.Birthdate.AddYears(22), _today.AddYears(-_random.Next(1, 25)).AddDays(-_random.Next(0, 365))) : Max(head.Birthdate.AddYears(20), _today.AddYears(-_random.Next(1, 30)));
            var allLost = _random.NextDouble() < 0.01;
            var jobChange = employed && !allLost && _random.NextDouble() < 0.12 && hired.AddYears(-1) > head.Birthdate.AddYears(22);
            var branch = 0;
            foreach (var member in members)
            {
                var qualifications = new List<string[]>();
                string insurer;
                if (member.Age >= 75)
                {
                    // 後期高齢者医療: from the 75th birthday, individually insured, no 記号.
                    insurer = Koki(place.Prefecture);
                    var ratio = _random.NextDouble() switch { < 0.07 => "030", < 0.22 => "020", _ => "010" };
                    qualifications.Add(Qualification(member, insurer, "", NextNumber(insurer), "00", "1", member.Name, member.Birthdate.AddYears(75), allLost, ratio));
                }
                else
                {
                    insurer = employer;
                    var isHead = member == head;
                    var relationship = employed && !isHead ? "2" : "1";
                    var from = Max(member.Birthdate, hired);
                    var ratio = ContributionRatio(member, _random.NextDouble() < 0.15);
                    if (jobChange && isHead)
                    {
                        var previous = Kumiai(place.Prefecture, (employer.EndsWith('0') ? 1 : 0) + 1);
                        var previousFrom = Max(member.Birthdate.AddYears(22), from.AddYears(-_random.Next(2, 10)));
                        qualifications.Add(Row(member, previous, symbol, NextNumber(previous), "00", "1", head.Name, previousFrom, from, "03", ratio));
                    }

                    qualifications.Add(Qualification(member, insurer, symbol, householdNumber, branch.ToString("00", CultureInfo.InvariantCulture), relationship, head.Name, from, allLost, ratio));
                    branch++;
                    Certificates(member, insurer, ratio, allLost);
                }

                foreach (var row in qualifications)
                {
                    files["persons"].Row(row);
                }

                if (member.Age >= 75)
                {
                    Certificates(member, insurer, "", allLost);
                }

                if (options.MedicalRecords)
                {
                    MedicalRecords(member);
                }

                if (Kept.Count < options.KeepFirst)
                {
                    Kept.Add(new SyntheticPerson(member.Id, member.Name, member.Kana, member.Sex, member.Birthdate, address, post, insurer, !allLost));
                }
            }

            string[] Qualification(Member m, string insurer, string symbol, string number, string branchText, string relationship, string insuredName, DateOnly from, bool lost, string ratio)
            {
                var lostOn = lost ? _today.AddDays(-_random.Next(1, 90)) : (DateOnly?)null;
                if (lostOn is not null && lostOn <= from)
                {
                    lostOn = from.AddDays(1);
                }

                return Row(m, insurer, symbol, number, branchText, relationship, insuredName, from, lostOn, lost ? "99" : "", ratio);
            }

            string[] Row(Member m, string insurer, string symbol, string number, string branchText, string relationship, string insuredName, DateOnly from, DateOnly? lostOn, string reason, string ratio) =>
            [
                Id(m.Id), m.Name, m.Kana, ((int)m.Sex).ToString(CultureInfo.InvariantCulture), Day(m.Birthdate), post, address,
                insurer, symbol, number, branchText, relationship, insuredName, "01", Day(from), lostOn is { } l ? Day(l) : "", reason,
                Day(from), Day(from), "", ratio, m.Age < 6 ? "1" : "",
            ];
        }

        private static string ContributionRatio(Member member, bool workingIncome) => member.Age switch
        {
            < 6 => "020",
            < 70 => "030",
            _ => workingIncome ? "030" : "020",
        };

        private void Certificates(Member member, string insurer, string ratio, bool lost)
        {
            if (lost)
            {
                return;
            }

            // The certificate year runs August to July.
            var yearStart = new DateOnly(_today.Month >= 8 ? _today.Year : _today.Year - 1, 8, 1);
            if (member.Age is >= 70 and < 75)
            {
                var seventieth = member.Birthdate.AddYears(70);
                var from = Max(yearStart, new DateOnly(seventieth.Year, seventieth.Month, 1).AddMonths(seventieth.Day == 1 ? 0 : 1));
                files["elderly-certificates"].Row(Id(member.Id), insurer, Day(from), Day(from), Day(yearStart.AddYears(1).AddDays(-1)), ratio);
            }

            if (_random.NextDouble() < 0.06)
            {
                var (classification, bracket) = member.Age >= 70
                    ? (_random.NextDouble() < 0.5 ? ("02", _random.NextDouble() < 0.5 ? "B05" : "B06") : ("01", _random.NextDouble() < 0.5 ? "B02" : "B03"))
                    : (_random.NextDouble() < 0.2 ? ("02", "A05") : ("01", "A0" + _random.Next(1, 5).ToString(CultureInfo.InvariantCulture)));
                files["limit-certificates"].Row(Id(member.Id), insurer, Day(yearStart), Day(yearStart), Day(yearStart.AddYears(1).AddDays(-1)), classification, bracket, "");
            }

            if (_random.NextDouble() < 0.003 && member.Age >= 20)
            {
                var from = _today.AddYears(-_random.Next(1, 10));
                files["specific-disease-certificates"].Row(Id(member.Id), insurer, Day(from), Day(from), "", "1", member.Age < 70 && _random.NextDouble() < 0.2 ? "20000" : "10000");
            }
        }

        private void MedicalRecords(Member member)
        {
            var medications = _random.Next(0, 3);
            for (var i = 0; i < medications; i++)
            {
                var drug = SyntheticNames.Drugs[_random.Next(SyntheticNames.Drugs.Length)];
                files["medications"].Row(Id(member.Id), Day(RecentDay(member, 4)), SyntheticNames.Pharmacies[_random.Next(SyntheticNames.Pharmacies.Length)], drug.Code, drug.Name, drug.Dose, (_random.Next(1, 5) * 7).ToString(CultureInfo.InvariantCulture));
            }

            if (member.Age is >= 40 and < 75 && _random.NextDouble() < 0.6)
            {
                var height = member.Sex == Sex.Male ? 155 + _random.Next(0, 300) / 10m : 145 + _random.Next(0, 250) / 10m;
                var bmi = 18 + _random.Next(0, 120) / 10m;
                var weight = Math.Round(bmi * height * height / 10000m, 1);
                files["checkups"].Row(Id(member.Id), Day(RecentDay(member, 6)), "健診センター", F(height), F(weight), F(Math.Round(60 + bmi * 1.2m + _random.Next(0, 100) / 10m, 1)),
                    (100 + _random.Next(0, 60)).ToString(CultureInfo.InvariantCulture), (60 + _random.Next(0, 35)).ToString(CultureInfo.InvariantCulture),
                    F(5.0m + _random.Next(0, 25) / 10m), (70 + _random.Next(0, 120)).ToString(CultureInfo.InvariantCulture));
            }

            if (_random.NextDouble() < 0.4)
            {
                var treatment = SyntheticNames.Treatments[_random.Next(SyntheticNames.Treatments.Length)];
                files["treatments"].Row(Id(member.Id), Day(RecentDay(member, 4)), SyntheticNames.Hospitals[_random.Next(SyntheticNames.Hospitals.Length)], treatment.Diagnosis, treatment.Procedure, _random.NextDouble() < 0.05 ? "1" : "0");
            }

            if (_random.NextDouble() < 0.02)
            {
                var surgery = SyntheticNames.Surgeries[_random.Next(SyntheticNames.Surgeries.Length)];
                files["surgeries"].Row(Id(member.Id), Day(RecentDay(member, 4)), SyntheticNames.Hospitals[_random.Next(SyntheticNames.Hospitals.Length)], surgery.Code, surgery.Name);
            }
        }

        private DateOnly RecentDay(Member member, int years) => Max(member.Birthdate, _today.AddDays(-_random.Next(0, years * 365)));

        private Member NewMember((string Kanji, string Kana) surname, int age, Sex sex)
        {
            var given = sex == Sex.Male
                ? SyntheticNames.MaleGivenNames[_random.Next(SyntheticNames.MaleGivenNames.Length)]
                : SyntheticNames.FemaleGivenNames[_random.Next(SyntheticNames.FemaleGivenNames.Length)];
            var birthdate = _today.AddYears(-age).AddDays(-_random.Next(1, 365));
            return new Member(++_nextId, surname.Kanji + "　" + given.Kanji, surname.Kana + "　" + given.Kana, sex, birthdate, age);
        }

        private string NextNumber(string insurer)
        {
            _nextNumber.TryGetValue(insurer, out var next);
            _nextNumber[insurer] = next + 1;
            return (next + 1).ToString(insurer.StartsWith("39", StringComparison.Ordinal) ? "00000000" : "0000000", CultureInfo.InvariantCulture);
        }

        private static string Kyokai(string prefecture) => InsurerNumber.FromBody("01" + prefecture + "001").Value;

        private static string Kumiai(string prefecture, int index) => InsurerNumber.FromBody("06" + prefecture + (100 + index).ToString(CultureInfo.InvariantCulture)).Value;

        private static string Kokuho((string Prefecture, string City, string PostPrefix, string[] Towns) place) =>
            InsurerNumber.FromBody(place.Prefecture + (100 + Array.IndexOf(SyntheticNames.Places, place)).ToString(CultureInfo.InvariantCulture)).Value;

        private static string Koki(string prefecture) => InsurerNumber.FromBody("39" + prefecture + "100").Value;

        private static string PrefectureName(string city) => city[..(city.IndexOfAny(['都', '道', '府', '県']) + 1)];

        private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;

        private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

        private static string F(decimal value) => value.ToString("0.0", CultureInfo.InvariantCulture);
    }
}

/// <summary>Writes RFC 4180 CSV (UTF-8 without BOM, LF), quoting only fields that need it.</summary>
public sealed class CsvFileWriter : IDisposable
{
    private static readonly System.Buffers.SearchValues<char> NeedsQuotes = System.Buffers.SearchValues.Create(",\"\r\n");
    private readonly StreamWriter _writer;

    public CsvFileWriter(string path)
    {
        _writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
    }

    public long Rows { get; private set; }

    public void Header(params string[] columns) => Write(columns);

    public void Row(params string[] fields)
    {
        Write(fields);
        Rows++;
    }

    private void Write(string[] fields)
    {
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0)
            {
                _writer.Write(',');
            }

            var field = fields[i];
            if (field.AsSpan().IndexOfAny(NeedsQuotes) >= 0)
            {
                _writer.Write('"');
                _writer.Write(field.Replace("\"", "\"\"", StringComparison.Ordinal));
                _writer.Write('"');
            }
            else
            {
                _writer.Write(field);
            }
        }

        _writer.Write('\n');
    }

    public void Dispose() => _writer.Dispose();
}
