using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Onshi.Card.Issuing;
using Onshi.Card.Virtual;
using Onshi.Core.Codes;
using Onshi.Server.Accounts;
using Onshi.Server.ActivationCodes;
using Onshi.Server.CardLinks;
using Onshi.Server.Common;
using Onshi.Server.Data;
using Onshi.Server.Institutions;
using Onshi.Server.Insurance;
using Onshi.Server.Revocation;
using CardSex = Onshi.Card.Applications.Sex;
using QualificationRow = Onshi.Server.Insurance.Qualification;

namespace Onshi.App.Tests.Infrastructure;

/// <summary>A demo patient: the card image file on the panel and the person behind it on the server.</summary>
public sealed record DemoPatient(string FileName, string Name, string Pin, DateOnly BirthDate, int CardExpiryYear, string SecurityCode, long PersonId);

/// <summary>An institution ready for the app, made with the server's own operations.</summary>
public sealed record Clinic(string Code, string Name, int InstitutionId, Actor Administrator, string StaffUserId, string StaffPassword,
    string NeverLoggedInUserId, string NeverLoggedInPassword);

/// <summary>Seeds the server through its operations (institution, accounts, codes, card links) and EF for insurance rows.</summary>
public static class Seed
{
    public const string StrongPassword = "plum blossoms open at dawn 2025";
    private static int _counter;

    public static async Task<Clinic> ClinicAsync(ServerHost server, string name = "オンシ内科クリニック", bool homeVisit = false)
    {
        var number = Interlocked.Increment(ref _counter) + (Environment.ProcessId % 500 * 10);
        var code = Onshi.Core.Identifiers.MedicalInstitutionCode.FromBody("131" + (number % 1_000_000).ToString("000000", System.Globalization.CultureInfo.InvariantCulture)).Value;
        return await server.WithScopeAsync(async sp =>
        {
            var created = await sp.GetRequiredService<CreateInstitution>().ExecuteAsync(code, name, "admin", null, CancellationToken.None);
            Assert.True(created.Succeeded, created.Refusal?.Message);
            var institution = created.Value!.Institution;
            using var scope = SeedingInstitutionScope.For(institution.Id);
            var admin = new Actor(created.Value.Administrator.Id, institution.Id, AccountRole.Administrator, "admin");
            await FirstLoginAsync(sp, code, "admin", created.Value.InitialPassword, institution.Id, AccountRole.Administrator);

            var db = sp.GetRequiredService<AppDbContext>();
            var settings = await db.InstitutionSettings.IgnoreQueryFilters().SingleAsync(s => s.InstitutionId == institution.Id);
            settings.OutpatientFunction = true;
            settings.HomeVisitFunction = homeVisit;
            settings.OfferMedicationInformation = true;
            settings.OfferClinicalInformation = true;
            settings.OfferCheckupInformation = true;
            settings.OfferSurgeryInformation = false;
            settings.Version = Guid.NewGuid();
            await db.SaveChangesAsync();

            var (staff, staffPassword) = await StaffAsync(sp, admin, code, institution.Id, "dr01", "医師　一郎", "イシ　イチロウ", completeFirstLogin: true);
            var (fresh, freshPassword) = await StaffAsync(sp, admin, code, institution.Id, "new01", "新人　二郎", "シンジン　ジロウ", completeFirstLogin: false);
            return new Clinic(code, name, institution.Id, admin, staff, staffPassword, fresh, freshPassword);
        });
    }

    public static Task<(string Code, int Id, Guid Version)> ActivationCodeAsync(ServerHost server, Clinic clinic, string label) =>
        server.WithScopeAsync(async sp =>
        {
            using var scope = SeedingInstitutionScope.For(clinic.InstitutionId);
            var issued = await sp.GetRequiredService<IssueActivationCode>().ExecuteAsync(clinic.Administrator, label, CancellationToken.None);
            Assert.True(issued.Succeeded, issued.Refusal?.Message);
            return (issued.Value!.Code, issued.Value.Record.Id, issued.Value.Record.Version);
        });

    /// <summary>The administrator invalidates an activation code (and with it the device activated with it).</summary>
    public static Task InvalidateAsync(ServerHost server, Clinic clinic, int codeId) =>
        server.WithScopeAsync(async sp =>
        {
            using var scope = SeedingInstitutionScope.For(clinic.InstitutionId);
            var db = sp.GetRequiredService<AppDbContext>();
            var version = await db.ActivationCodes.IgnoreQueryFilters().Where(c => c.Id == codeId).Select(c => c.Version).SingleAsync();
            var result = await sp.GetRequiredService<InvalidateActivationCode>().ExecuteAsync(clinic.Administrator, codeId, version, CancellationToken.None);
            Assert.True(result.Succeeded, result.Refusal?.Message);
            return 0;
        });

    /// <summary>Issues a card, writes its image into <paramref name="cardsFolder"/>, and registers the person (保険証利用登録) on the server.</summary>
    public static async Task<DemoPatient> PatientAsync(ServerHost server, string cardsFolder, string fileName, string name, string kana, DateOnly birth,
        CardSex sex = CardSex.Male, bool elderly = false)
    {
        var securityCode = "2285";
        var expiry = new DateOnly(DateTime.UtcNow.Year + 8, birth.Month, Math.Min(birth.Day, 28));
        var image = TestJpki.Issue(new CardIssueRequest
        {
            Name = name,
            NameKana = kana,
            Address = "東京都千代田区千代田１－１",
            BirthDate = birth,
            Sex = sex,
            Pin = "1234",
            SecurityCode = securityCode,
            CardExpiry = expiry,
        }, TimeProvider.System);
        CardImageFile.Save(Path.Combine(cardsFolder, fileName), image);
        var (linkage, notAfter) = TestJpki.Linkage(image);
        var personId = await server.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<AppDbContext>();
            if (await db.Insurers.FindAsync("06139999") is null)
            {
                db.Insurers.Add(new Insurer { Number = "06139999", Name = "オンシ健康保険組合" });
            }

            var id = 5_000_000 + Interlocked.Increment(ref _counter);
            var person = new InsuredPerson
            {
                Id = id,
                Name = name,
                NameKana = kana,
                Sex = sex == CardSex.Female ? Onshi.Core.Codes.Sex.Female : Onshi.Core.Codes.Sex.Male,
                Birthdate = birth,
                Address = "東京都千代田区千代田1-1",
                PostNumber = "100-0001",
            };
            db.InsuredPersons.Add(person);
            db.Qualifications.Add(new QualificationRow
            {
                PersonId = id,
                InsurerNumber = "06139999",
                Symbol = "オンシ",
                Number = "12345",
                Branch = "01",
                PersonalFamilyClassification = PersonalFamilyClassification.Insured,
                InsuredName = name,
                CardClassification = InsuredCardClassification.General,
                QualificationDate = new DateOnly(2019, 5, 1),
                ContributionRatio = elderly ? PartialContributionRatio.TwoTenths : PartialContributionRatio.ThreeTenths,
            });
            db.LimitCertificates.Add(new LimitCertificate
            {
                PersonId = id,
                InsurerNumber = "06139999",
                Classification = LimitCertificateClassification.LimitApplication,
                Bracket = LimitApplicationBracket.BracketU,
                ValidFrom = new DateOnly(DateTime.UtcNow.Year, 4, 1).AddYears(-1),
                ValidUntil = new DateOnly(DateTime.UtcNow.Year + 1, 3, 31),
            });
            if (elderly)
            {
                db.ElderlyRecipientCertificates.Add(new ElderlyRecipientCertificate
                {
                    PersonId = id,
                    InsurerNumber = "06139999",
                    ContributionRatio = PartialContributionRatio.TwoTenths,
                    ValidFrom = new DateOnly(DateTime.UtcNow.Year - 1, 8, 1),
                    ValidUntil = new DateOnly(DateTime.UtcNow.Year + 1, 7, 31),
                });
            }

            await db.SaveChangesAsync();
            if (!await db.RevocationLists.AnyAsync())
            {
                // The operator's CRL load (onshi crl load): the server then checks revocation, failing closed.
                var stored = await sp.GetRequiredService<StoreRevocationList>().ExecuteAsync(TestJpki.Crl(TimeProvider.System), CancellationToken.None);
                Assert.True(stored.Succeeded, stored.Refusal?.Message);
            }

            var link = await sp.GetRequiredService<LinkCard>().ExecuteAsync(id, linkage, notAfter, CancellationToken.None);
            Assert.True(link.Succeeded, link.Refusal?.Message);
            return id;
        });
        return new DemoPatient(fileName, name, "1234", birth, expiry.Year, securityCode, personId);
    }

    private static async Task<(string UserId, string Password)> StaffAsync(IServiceProvider sp, Actor admin, string code, int institutionId,
        string userId, string name, string kana, bool completeFirstLogin)
    {
        var created = await sp.GetRequiredService<CreateAccount>().ExecuteAsync(admin,
            new AccountFieldsInput(userId, name, kana, AccountRole.MedicalInformationViewer, "2025-01-01", null), CancellationToken.None);
        Assert.True(created.Succeeded, created.Refusal?.Message);
        if (!completeFirstLogin)
        {
            return (userId, created.Value!.InitialPassword);
        }

        await FirstLoginAsync(sp, code, userId, created.Value!.InitialPassword, institutionId, AccountRole.MedicalInformationViewer);
        return (userId, StrongPassword);
    }

    /// <summary>What the portal's first login does: log in with the initial password, then replace it.</summary>
    private static async Task FirstLoginAsync(IServiceProvider sp, string code, string userId, string initial, int institutionId, AccountRole role)
    {
        var login = await sp.GetRequiredService<LogIn>().ExecuteAsync(new LoginRequest(code, userId, initial), CancellationToken.None);
        Assert.True(login.Succeeded, login.Refusal?.Message);
        var actor = new Actor(login.Value!.Id, institutionId, role, userId);
        var changed = await sp.GetRequiredService<ChangePassword>().ExecuteAsync(actor,
            new PasswordChangeRequest(initial, StrongPassword, StrongPassword), initial: true, CancellationToken.None);
        Assert.True(changed.Succeeded, changed.Refusal?.Message);
    }
}
