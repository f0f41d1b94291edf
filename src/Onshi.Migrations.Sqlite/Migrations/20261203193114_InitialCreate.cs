using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Onshi.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AuditChainHeads",
                columns: table => new
                {
                    ChainKey = table.Column<int>(type: "INTEGER", nullable: false),
                    LastSequence = table.Column<long>(type: "INTEGER", nullable: false),
                    LastHash = table.Column<string>(type: "TEXT", unicode: false, maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditChainHeads", x => x.ChainKey);
                });

            migrationBuilder.CreateTable(
                name: "AuditEntries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    OccurredAt = table.Column<long>(type: "INTEGER", nullable: false),
                    InstitutionId = table.Column<int>(type: "INTEGER", nullable: true),
                    ActorAccountId = table.Column<int>(type: "INTEGER", nullable: true),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Action = table.Column<string>(type: "TEXT", unicode: false, maxLength: 60, nullable: false),
                    Target = table.Column<string>(type: "TEXT", maxLength: 80, nullable: true),
                    Detail = table.Column<string>(type: "TEXT", maxLength: 400, nullable: true),
                    Succeeded = table.Column<bool>(type: "INTEGER", nullable: false),
                    ChainKey = table.Column<int>(type: "INTEGER", nullable: false),
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    PreviousHash = table.Column<string>(type: "TEXT", unicode: false, maxLength: 64, nullable: false),
                    Hash = table.Column<string>(type: "TEXT", unicode: false, maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditEntries", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ConfirmationFeedCounters",
                columns: table => new
                {
                    InstitutionId = table.Column<int>(type: "INTEGER", nullable: false),
                    LastSequence = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConfirmationFeedCounters", x => x.InstitutionId);
                });

            migrationBuilder.CreateTable(
                name: "DataProtectionKeys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    FriendlyName = table.Column<string>(type: "TEXT", nullable: true),
                    Xml = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DataProtectionKeys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Institutions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Code = table.Column<string>(type: "TEXT", unicode: false, maxLength: 10, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Institutions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "InsuredPersons",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    NameKana = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Sex = table.Column<int>(type: "INTEGER", nullable: false),
                    Birthdate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Address = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    PostNumber = table.Column<string>(type: "TEXT", unicode: false, maxLength: 8, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InsuredPersons", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Insurers",
                columns: table => new
                {
                    Number = table.Column<string>(type: "TEXT", unicode: false, maxLength: 8, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Insurers", x => x.Number);
                });

            migrationBuilder.CreateTable(
                name: "RevocationLists",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AnchorId = table.Column<string>(type: "TEXT", unicode: false, maxLength: 64, nullable: false),
                    ThisUpdate = table.Column<long>(type: "INTEGER", nullable: false),
                    NextUpdate = table.Column<long>(type: "INTEGER", nullable: true),
                    CrlNumber = table.Column<string>(type: "TEXT", unicode: false, maxLength: 60, nullable: true),
                    RevokedCount = table.Column<int>(type: "INTEGER", nullable: false),
                    Content = table.Column<byte[]>(type: "BLOB", nullable: false),
                    StoredAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RevocationLists", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "UsedProofs",
                columns: table => new
                {
                    Key = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UsedProofs", x => x.Key);
                });

            migrationBuilder.CreateTable(
                name: "Accounts",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    InstitutionId = table.Column<int>(type: "INTEGER", nullable: false),
                    UserId = table.Column<string>(type: "TEXT", unicode: false, maxLength: 8, nullable: false),
                    NormalizedUserId = table.Column<string>(type: "TEXT", unicode: false, maxLength: 8, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    NameKana = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Role = table.Column<int>(type: "INTEGER", nullable: false),
                    StartDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    EndDate = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    PasswordHash = table.Column<string>(type: "TEXT", unicode: false, maxLength: 200, nullable: false),
                    MustChangePassword = table.Column<bool>(type: "INTEGER", nullable: false),
                    FirstLoginCompletedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ConsecutiveFailedLogins = table.Column<int>(type: "INTEGER", nullable: false),
                    LockedUntil = table.Column<long>(type: "INTEGER", nullable: true),
                    StoppedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastLoginAt = table.Column<long>(type: "INTEGER", nullable: true),
                    SecurityStamp = table.Column<Guid>(type: "TEXT", nullable: false),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Accounts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Accounts_Institutions_InstitutionId",
                        column: x => x.InstitutionId,
                        principalTable: "Institutions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ConsentRecords",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    InstitutionId = table.Column<int>(type: "INTEGER", nullable: false),
                    PersonId = table.Column<long>(type: "INTEGER", nullable: false),
                    InformationType = table.Column<int>(type: "INTEGER", nullable: false),
                    Purpose = table.Column<int>(type: "INTEGER", nullable: false),
                    Given = table.Column<bool>(type: "INTEGER", nullable: false),
                    Comprehensive = table.Column<bool>(type: "INTEGER", nullable: false),
                    AnsweredAt = table.Column<long>(type: "INTEGER", nullable: false),
                    AvailableUntil = table.Column<long>(type: "INTEGER", nullable: true),
                    WithdrawnAt = table.Column<long>(type: "INTEGER", nullable: true),
                    WithdrawnByAccountId = table.Column<int>(type: "INTEGER", nullable: true),
                    ConfirmationId = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConsentRecords", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ConsentRecords_Institutions_InstitutionId",
                        column: x => x.InstitutionId,
                        principalTable: "Institutions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "InstitutionSettings",
                columns: table => new
                {
                    InstitutionId = table.Column<int>(type: "INTEGER", nullable: false),
                    OutpatientFunction = table.Column<bool>(type: "INTEGER", nullable: false),
                    HomeVisitFunction = table.Column<bool>(type: "INTEGER", nullable: false),
                    OnlineCareFunction = table.Column<bool>(type: "INTEGER", nullable: false),
                    OfferMedicationInformation = table.Column<bool>(type: "INTEGER", nullable: false),
                    OfferClinicalInformation = table.Column<bool>(type: "INTEGER", nullable: false),
                    OfferCheckupInformation = table.Column<bool>(type: "INTEGER", nullable: false),
                    OfferSurgeryInformation = table.Column<bool>(type: "INTEGER", nullable: false),
                    IssuesPrescriptions = table.Column<bool>(type: "INTEGER", nullable: false),
                    RequireTwoFactor = table.Column<bool>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedByAccountId = table.Column<int>(type: "INTEGER", nullable: true),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InstitutionSettings", x => x.InstitutionId);
                    table.ForeignKey(
                        name: "FK_InstitutionSettings_Institutions_InstitutionId",
                        column: x => x.InstitutionId,
                        principalTable: "Institutions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "MachineAccounts",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    InstitutionId = table.Column<int>(type: "INTEGER", nullable: false),
                    ClientId = table.Column<string>(type: "TEXT", unicode: false, maxLength: 40, nullable: false),
                    Label = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    SecretHash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedByAccountId = table.Column<int>(type: "INTEGER", nullable: false),
                    SecretRotatedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    StoppedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastUsedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MachineAccounts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MachineAccounts_Institutions_InstitutionId",
                        column: x => x.InstitutionId,
                        principalTable: "Institutions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ReferenceNumbers",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    InstitutionId = table.Column<int>(type: "INTEGER", nullable: false),
                    PersonId = table.Column<long>(type: "INTEGER", nullable: false),
                    ReferenceNumber = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    RegisteredAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RegisteredByMachineAccountId = table.Column<int>(type: "INTEGER", nullable: true),
                    RegisteredByAccountId = table.Column<int>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReferenceNumbers", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ReferenceNumbers_Institutions_InstitutionId",
                        column: x => x.InstitutionId,
                        principalTable: "Institutions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "CardLinks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    PersonId = table.Column<long>(type: "INTEGER", nullable: false),
                    LinkageKey = table.Column<string>(type: "TEXT", unicode: false, maxLength: 160, nullable: false),
                    CertificateNotAfter = table.Column<long>(type: "INTEGER", nullable: false),
                    LinkedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ReplacedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CardLinks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CardLinks_InsuredPersons_PersonId",
                        column: x => x.PersonId,
                        principalTable: "InsuredPersons",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "HealthCheckResults",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    PersonId = table.Column<long>(type: "INTEGER", nullable: false),
                    OccurredOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    InstitutionName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    HeightCm = table.Column<decimal>(type: "TEXT", precision: 5, scale: 1, nullable: false),
                    WeightKg = table.Column<decimal>(type: "TEXT", precision: 5, scale: 1, nullable: false),
                    WaistCm = table.Column<decimal>(type: "TEXT", precision: 5, scale: 1, nullable: false),
                    SystolicMmHg = table.Column<int>(type: "INTEGER", nullable: false),
                    DiastolicMmHg = table.Column<int>(type: "INTEGER", nullable: false),
                    HbA1cPercent = table.Column<decimal>(type: "TEXT", precision: 4, scale: 1, nullable: false),
                    LdlMgDl = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HealthCheckResults", x => x.Id);
                    table.ForeignKey(
                        name: "FK_HealthCheckResults_InsuredPersons_PersonId",
                        column: x => x.PersonId,
                        principalTable: "InsuredPersons",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "MedicalAssistanceQualifications",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    PersonId = table.Column<long>(type: "INTEGER", nullable: false),
                    BearerNumber = table.Column<string>(type: "TEXT", unicode: false, maxLength: 8, nullable: false),
                    RecipientNumber = table.Column<string>(type: "TEXT", unicode: false, maxLength: 7, nullable: false),
                    WelfareOfficeName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    StartDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    EndDate = table.Column<DateOnly>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MedicalAssistanceQualifications", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MedicalAssistanceQualifications_InsuredPersons_PersonId",
                        column: x => x.PersonId,
                        principalTable: "InsuredPersons",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "MedicalTickets",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    PersonId = table.Column<long>(type: "INTEGER", nullable: false),
                    BearerNumber = table.Column<string>(type: "TEXT", unicode: false, maxLength: 8, nullable: false),
                    TicketType = table.Column<int>(type: "INTEGER", nullable: false),
                    ValidFrom = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    ValidUntil = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    IssueNumber = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    TreatmentMonth = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    DesignatedInstitutionCode = table.Column<string>(type: "TEXT", unicode: false, maxLength: 10, nullable: false),
                    DesignatedInstitutionName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    PrescriptionIssuerCode = table.Column<string>(type: "TEXT", unicode: false, maxLength: 10, nullable: false),
                    PrescriptionIssuerName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    InjuryName1 = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    InjuryName2 = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    InjuryName3 = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    TreatmentType = table.Column<int>(type: "INTEGER", nullable: false),
                    SelfPayAmount = table.Column<int>(type: "INTEGER", nullable: false),
                    DistrictContactName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    HandlingContactName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    SingleOrCombinedUse = table.Column<int>(type: "INTEGER", nullable: false),
                    SocialInsurance = table.Column<int>(type: "INTEGER", nullable: false),
                    Remarks = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MedicalTickets", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MedicalTickets_InsuredPersons_PersonId",
                        column: x => x.PersonId,
                        principalTable: "InsuredPersons",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "MedicationDispensings",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    PersonId = table.Column<long>(type: "INTEGER", nullable: false),
                    OccurredOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    InstitutionName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    DrugCode = table.Column<string>(type: "TEXT", unicode: false, maxLength: 12, nullable: false),
                    DrugName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Dose = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Days = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MedicationDispensings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MedicationDispensings_InsuredPersons_PersonId",
                        column: x => x.PersonId,
                        principalTable: "InsuredPersons",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SurgeryRecords",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    PersonId = table.Column<long>(type: "INTEGER", nullable: false),
                    OccurredOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    InstitutionName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ProcedureCode = table.Column<string>(type: "TEXT", unicode: false, maxLength: 12, nullable: false),
                    ProcedureName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SurgeryRecords", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SurgeryRecords_InsuredPersons_PersonId",
                        column: x => x.PersonId,
                        principalTable: "InsuredPersons",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "TreatmentRecords",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    PersonId = table.Column<long>(type: "INTEGER", nullable: false),
                    OccurredOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    InstitutionName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    DiagnosisName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ProcedureName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Inpatient = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TreatmentRecords", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TreatmentRecords_InsuredPersons_PersonId",
                        column: x => x.PersonId,
                        principalTable: "InsuredPersons",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ElderlyRecipientCertificates",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ContributionRatio = table.Column<int>(type: "INTEGER", nullable: false),
                    PersonId = table.Column<long>(type: "INTEGER", nullable: false),
                    InsurerNumber = table.Column<string>(type: "TEXT", unicode: false, maxLength: 8, nullable: false),
                    IssuedOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    ValidFrom = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    ValidUntil = table.Column<DateOnly>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ElderlyRecipientCertificates", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ElderlyRecipientCertificates_InsuredPersons_PersonId",
                        column: x => x.PersonId,
                        principalTable: "InsuredPersons",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ElderlyRecipientCertificates_Insurers_InsurerNumber",
                        column: x => x.InsurerNumber,
                        principalTable: "Insurers",
                        principalColumn: "Number",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "LimitCertificates",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Classification = table.Column<int>(type: "INTEGER", nullable: false),
                    Bracket = table.Column<int>(type: "INTEGER", nullable: false),
                    LongTermHospitalizationDate = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    PersonId = table.Column<long>(type: "INTEGER", nullable: false),
                    InsurerNumber = table.Column<string>(type: "TEXT", unicode: false, maxLength: 8, nullable: false),
                    IssuedOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    ValidFrom = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    ValidUntil = table.Column<DateOnly>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LimitCertificates", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LimitCertificates_InsuredPersons_PersonId",
                        column: x => x.PersonId,
                        principalTable: "InsuredPersons",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_LimitCertificates_Insurers_InsurerNumber",
                        column: x => x.InsurerNumber,
                        principalTable: "Insurers",
                        principalColumn: "Number",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Qualifications",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    PersonId = table.Column<long>(type: "INTEGER", nullable: false),
                    InsurerNumber = table.Column<string>(type: "TEXT", unicode: false, maxLength: 8, nullable: false),
                    Symbol = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Number = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Branch = table.Column<string>(type: "TEXT", unicode: false, maxLength: 2, nullable: false),
                    PersonalFamilyClassification = table.Column<int>(type: "INTEGER", nullable: false),
                    InsuredName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    CardClassification = table.Column<int>(type: "INTEGER", nullable: false),
                    QualificationDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    DisqualificationDate = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    ReasonOfLoss = table.Column<int>(type: "INTEGER", nullable: true),
                    CardIssuedOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    CardValidFrom = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    CardValidUntil = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    ContributionRatio = table.Column<int>(type: "INTEGER", nullable: false),
                    Preschool = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Qualifications", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Qualifications_InsuredPersons_PersonId",
                        column: x => x.PersonId,
                        principalTable: "InsuredPersons",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_Qualifications_Insurers_InsurerNumber",
                        column: x => x.InsurerNumber,
                        principalTable: "Insurers",
                        principalColumn: "Number",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SpecificDiseaseCertificates",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Category = table.Column<int>(type: "INTEGER", nullable: false),
                    SelfPayLimit = table.Column<int>(type: "INTEGER", nullable: false),
                    PersonId = table.Column<long>(type: "INTEGER", nullable: false),
                    InsurerNumber = table.Column<string>(type: "TEXT", unicode: false, maxLength: 8, nullable: false),
                    IssuedOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    ValidFrom = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    ValidUntil = table.Column<DateOnly>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SpecificDiseaseCertificates", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SpecificDiseaseCertificates_InsuredPersons_PersonId",
                        column: x => x.PersonId,
                        principalTable: "InsuredPersons",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_SpecificDiseaseCertificates_Insurers_InsurerNumber",
                        column: x => x.InsurerNumber,
                        principalTable: "Insurers",
                        principalColumn: "Number",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ActivationCodes",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    InstitutionId = table.Column<int>(type: "INTEGER", nullable: false),
                    Label = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    CodeHash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    IssuedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    IssuedByAccountId = table.Column<int>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ActivatedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DeviceId = table.Column<Guid>(type: "TEXT", nullable: true),
                    InvalidatedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    InvalidatedByAccountId = table.Column<int>(type: "INTEGER", nullable: true),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ActivationCodes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ActivationCodes_Accounts_IssuedByAccountId",
                        column: x => x.IssuedByAccountId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ActivationCodes_Institutions_InstitutionId",
                        column: x => x.InstitutionId,
                        principalTable: "Institutions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "EmergencyActivations",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    InstitutionId = table.Column<int>(type: "INTEGER", nullable: false),
                    StartsAt = table.Column<long>(type: "INTEGER", nullable: false),
                    EndsAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ActivatedByAccountId = table.Column<int>(type: "INTEGER", nullable: false),
                    ActivatedBy = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    EndedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    EndedBy = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EmergencyActivations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_EmergencyActivations_Accounts_ActivatedByAccountId",
                        column: x => x.ActivatedByAccountId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_EmergencyActivations_Institutions_InstitutionId",
                        column: x => x.InstitutionId,
                        principalTable: "Institutions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "MedicalInformationViews",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    InstitutionId = table.Column<int>(type: "INTEGER", nullable: false),
                    AccountId = table.Column<int>(type: "INTEGER", nullable: false),
                    AccountUserId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    PersonId = table.Column<long>(type: "INTEGER", nullable: false),
                    PatientName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    InformationType = table.Column<int>(type: "INTEGER", nullable: false),
                    ConfirmationId = table.Column<Guid>(type: "TEXT", nullable: true),
                    EmergencyConsentId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ViewedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RecordCount = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MedicalInformationViews", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MedicalInformationViews_Accounts_AccountId",
                        column: x => x.AccountId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_MedicalInformationViews_Institutions_InstitutionId",
                        column: x => x.InstitutionId,
                        principalTable: "Institutions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "RecoveryCodes",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AccountId = table.Column<int>(type: "INTEGER", nullable: false),
                    InstitutionId = table.Column<int>(type: "INTEGER", nullable: false),
                    Hash = table.Column<string>(type: "TEXT", unicode: false, maxLength: 200, nullable: false),
                    UsedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RecoveryCodes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RecoveryCodes_Accounts_AccountId",
                        column: x => x.AccountId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "TermsAgreements",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    InstitutionId = table.Column<int>(type: "INTEGER", nullable: false),
                    AccountId = table.Column<int>(type: "INTEGER", nullable: false),
                    TermsVersion = table.Column<string>(type: "TEXT", unicode: false, maxLength: 40, nullable: false),
                    AgreedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TermsAgreements", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TermsAgreements_Accounts_AccountId",
                        column: x => x.AccountId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_TermsAgreements_Institutions_InstitutionId",
                        column: x => x.InstitutionId,
                        principalTable: "Institutions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "TwoFactorCredentials",
                columns: table => new
                {
                    AccountId = table.Column<int>(type: "INTEGER", nullable: false),
                    InstitutionId = table.Column<int>(type: "INTEGER", nullable: false),
                    ProtectedSecret = table.Column<string>(type: "TEXT", unicode: false, maxLength: 500, nullable: false),
                    EnabledAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastUsedTimeStep = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TwoFactorCredentials", x => x.AccountId);
                    table.ForeignKey(
                        name: "FK_TwoFactorCredentials_Accounts_AccountId",
                        column: x => x.AccountId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "BulkJobs",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    InstitutionId = table.Column<int>(type: "INTEGER", nullable: false),
                    MachineAccountId = table.Column<int>(type: "INTEGER", nullable: true),
                    AccountId = table.Column<int>(type: "INTEGER", nullable: true),
                    ReceptionNumber = table.Column<string>(type: "TEXT", unicode: false, maxLength: 20, nullable: false),
                    ClientKey = table.Column<string>(type: "TEXT", unicode: false, maxLength: 100, nullable: true),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    RequestJson = table.Column<string>(type: "TEXT", nullable: false),
                    ResultJson = table.Column<string>(type: "TEXT", nullable: true),
                    RowCount = table.Column<int>(type: "INTEGER", nullable: false),
                    AcceptedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LeaseUntil = table.Column<long>(type: "INTEGER", nullable: true),
                    CompletedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    FailureDetail = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BulkJobs", x => x.Id);
                    table.CheckConstraint("CK_BulkJobs_Uploader", "(\"MachineAccountId\" IS NULL) <> (\"AccountId\" IS NULL)");
                    table.ForeignKey(
                        name: "FK_BulkJobs_Accounts_AccountId",
                        column: x => x.AccountId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_BulkJobs_Institutions_InstitutionId",
                        column: x => x.InstitutionId,
                        principalTable: "Institutions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_BulkJobs_MachineAccounts_MachineAccountId",
                        column: x => x.MachineAccountId,
                        principalTable: "MachineAccounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Devices",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    InstitutionId = table.Column<int>(type: "INTEGER", nullable: false),
                    ActivationCodeId = table.Column<int>(type: "INTEGER", nullable: false),
                    Label = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    KeyThumbprint = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    PublicKeyX = table.Column<string>(type: "TEXT", unicode: false, maxLength: 43, nullable: false),
                    PublicKeyY = table.Column<string>(type: "TEXT", unicode: false, maxLength: 43, nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    ActivatedByAccountId = table.Column<int>(type: "INTEGER", nullable: false),
                    ActivatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    InvalidatedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Devices", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Devices_Accounts_ActivatedByAccountId",
                        column: x => x.ActivatedByAccountId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Devices_ActivationCodes_ActivationCodeId",
                        column: x => x.ActivationCodeId,
                        principalTable: "ActivationCodes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Devices_Institutions_InstitutionId",
                        column: x => x.InstitutionId,
                        principalTable: "Institutions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "EmergencyConsents",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    InstitutionId = table.Column<int>(type: "INTEGER", nullable: false),
                    ActivationId = table.Column<long>(type: "INTEGER", nullable: false),
                    PersonId = table.Column<long>(type: "INTEGER", nullable: false),
                    PatientName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    AccountId = table.Column<int>(type: "INTEGER", nullable: false),
                    AccountUserId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    RecordedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    GivenBy = table.Column<int>(type: "INTEGER", nullable: false),
                    InformationTypes = table.Column<string>(type: "TEXT", unicode: false, maxLength: 20, nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EmergencyConsents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_EmergencyConsents_Accounts_AccountId",
                        column: x => x.AccountId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_EmergencyConsents_EmergencyActivations_ActivationId",
                        column: x => x.ActivationId,
                        principalTable: "EmergencyActivations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_EmergencyConsents_Institutions_InstitutionId",
                        column: x => x.InstitutionId,
                        principalTable: "Institutions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "AppSessions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TokenHash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    DeviceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AccountId = table.Column<int>(type: "INTEGER", nullable: false),
                    InstitutionId = table.Column<int>(type: "INTEGER", nullable: false),
                    AccountSecurityStamp = table.Column<Guid>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastSeenAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false),
                    EndedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    EndReason = table.Column<int>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AppSessions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AppSessions_Accounts_AccountId",
                        column: x => x.AccountId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_AppSessions_Devices_DeviceId",
                        column: x => x.DeviceId,
                        principalTable: "Devices",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Challenges",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Value = table.Column<byte[]>(type: "BLOB", maxLength: 64, nullable: false),
                    DeviceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SessionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    InstitutionId = table.Column<int>(type: "INTEGER", nullable: false),
                    Purpose = table.Column<int>(type: "INTEGER", nullable: false),
                    IssuedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UsedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Challenges", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Challenges_AppSessions_SessionId",
                        column: x => x.SessionId,
                        principalTable: "AppSessions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Challenges_Devices_DeviceId",
                        column: x => x.DeviceId,
                        principalTable: "Devices",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "AppConfirmations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    InstitutionId = table.Column<int>(type: "INTEGER", nullable: false),
                    DeviceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SessionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AccountId = table.Column<int>(type: "INTEGER", nullable: false),
                    ChallengeId = table.Column<Guid>(type: "TEXT", nullable: false),
                    IdempotencyKey = table.Column<Guid>(type: "TEXT", nullable: false),
                    RequestHash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    Purpose = table.Column<int>(type: "INTEGER", nullable: false),
                    Method = table.Column<int>(type: "INTEGER", nullable: false),
                    VisualAttestation = table.Column<bool>(type: "INTEGER", nullable: false),
                    ConfirmedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Validity = table.Column<string>(type: "TEXT", unicode: false, maxLength: 1, nullable: false),
                    QualificationOnly = table.Column<bool>(type: "INTEGER", nullable: false),
                    PersonId = table.Column<long>(type: "INTEGER", nullable: true),
                    PatientName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    PatientNameKana = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    PatientBirthdate = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    CertificateLinkageKey = table.Column<string>(type: "TEXT", unicode: false, maxLength: 120, nullable: false),
                    ResultJson = table.Column<string>(type: "TEXT", nullable: false),
                    SnapshotJson = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AppConfirmations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AppConfirmations_Challenges_ChallengeId",
                        column: x => x.ChallengeId,
                        principalTable: "Challenges",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_AppConfirmations_Devices_DeviceId",
                        column: x => x.DeviceId,
                        principalTable: "Devices",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_AppConfirmations_Institutions_InstitutionId",
                        column: x => x.InstitutionId,
                        principalTable: "Institutions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ConfirmationFeed",
                columns: table => new
                {
                    ConfirmationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    InstitutionId = table.Column<int>(type: "INTEGER", nullable: false),
                    Sequence = table.Column<long>(type: "INTEGER", nullable: true),
                    StoredAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConfirmationFeed", x => x.ConfirmationId);
                    table.ForeignKey(
                        name: "FK_ConfirmationFeed_AppConfirmations_ConfirmationId",
                        column: x => x.ConfirmationId,
                        principalTable: "AppConfirmations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_InstitutionId_NormalizedUserId",
                table: "Accounts",
                columns: new[] { "InstitutionId", "NormalizedUserId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ActivationCodes_CodeHash",
                table: "ActivationCodes",
                column: "CodeHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ActivationCodes_DeviceId",
                table: "ActivationCodes",
                column: "DeviceId");

            migrationBuilder.CreateIndex(
                name: "IX_ActivationCodes_InstitutionId_IssuedAt",
                table: "ActivationCodes",
                columns: new[] { "InstitutionId", "IssuedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ActivationCodes_IssuedByAccountId",
                table: "ActivationCodes",
                column: "IssuedByAccountId");

            migrationBuilder.CreateIndex(
                name: "IX_AppConfirmations_ChallengeId",
                table: "AppConfirmations",
                column: "ChallengeId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AppConfirmations_DeviceId_IdempotencyKey",
                table: "AppConfirmations",
                columns: new[] { "DeviceId", "IdempotencyKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AppConfirmations_InstitutionId_ConfirmedAt",
                table: "AppConfirmations",
                columns: new[] { "InstitutionId", "ConfirmedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_AppSessions_AccountId",
                table: "AppSessions",
                column: "AccountId");

            migrationBuilder.CreateIndex(
                name: "IX_AppSessions_DeviceId",
                table: "AppSessions",
                column: "DeviceId");

            migrationBuilder.CreateIndex(
                name: "IX_AppSessions_TokenHash",
                table: "AppSessions",
                column: "TokenHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_ChainKey_Sequence",
                table: "AuditEntries",
                columns: new[] { "ChainKey", "Sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_InstitutionId_OccurredAt",
                table: "AuditEntries",
                columns: new[] { "InstitutionId", "OccurredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_BulkJobs_AccountId",
                table: "BulkJobs",
                column: "AccountId");

            migrationBuilder.CreateIndex(
                name: "IX_BulkJobs_InstitutionId_AccountId_AcceptedAt",
                table: "BulkJobs",
                columns: new[] { "InstitutionId", "AccountId", "AcceptedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_BulkJobs_InstitutionId_ClientKey",
                table: "BulkJobs",
                columns: new[] { "InstitutionId", "ClientKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_BulkJobs_MachineAccountId",
                table: "BulkJobs",
                column: "MachineAccountId");

            migrationBuilder.CreateIndex(
                name: "IX_BulkJobs_ReceptionNumber",
                table: "BulkJobs",
                column: "ReceptionNumber",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_BulkJobs_Status_AcceptedAt",
                table: "BulkJobs",
                columns: new[] { "Status", "AcceptedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_CardLinks_LinkageKey_Current",
                table: "CardLinks",
                column: "LinkageKey",
                unique: true,
                filter: "\"ReplacedAt\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_CardLinks_LinkageKey_History",
                table: "CardLinks",
                columns: new[] { "LinkageKey", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_CardLinks_PersonId_Current",
                table: "CardLinks",
                column: "PersonId",
                unique: true,
                filter: "\"ReplacedAt\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Challenges_DeviceId",
                table: "Challenges",
                column: "DeviceId");

            migrationBuilder.CreateIndex(
                name: "IX_Challenges_ExpiresAt",
                table: "Challenges",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_Challenges_SessionId",
                table: "Challenges",
                column: "SessionId");

            migrationBuilder.CreateIndex(
                name: "IX_ConfirmationFeed_InstitutionId_Sequence",
                table: "ConfirmationFeed",
                columns: new[] { "InstitutionId", "Sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ConsentRecords_ConfirmationId",
                table: "ConsentRecords",
                column: "ConfirmationId");

            migrationBuilder.CreateIndex(
                name: "IX_ConsentRecords_InstitutionId_PersonId_InformationType",
                table: "ConsentRecords",
                columns: new[] { "InstitutionId", "PersonId", "InformationType" });

            migrationBuilder.CreateIndex(
                name: "IX_Devices_ActivatedByAccountId",
                table: "Devices",
                column: "ActivatedByAccountId");

            migrationBuilder.CreateIndex(
                name: "IX_Devices_ActivationCodeId",
                table: "Devices",
                column: "ActivationCodeId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Devices_InstitutionId",
                table: "Devices",
                column: "InstitutionId");

            migrationBuilder.CreateIndex(
                name: "IX_Devices_KeyThumbprint",
                table: "Devices",
                column: "KeyThumbprint",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ElderlyRecipientCertificates_InsurerNumber",
                table: "ElderlyRecipientCertificates",
                column: "InsurerNumber");

            migrationBuilder.CreateIndex(
                name: "IX_ElderlyRecipientCertificates_PersonId",
                table: "ElderlyRecipientCertificates",
                column: "PersonId");

            migrationBuilder.CreateIndex(
                name: "IX_EmergencyActivations_ActivatedByAccountId",
                table: "EmergencyActivations",
                column: "ActivatedByAccountId");

            migrationBuilder.CreateIndex(
                name: "IX_EmergencyActivations_InstitutionId_EndsAt",
                table: "EmergencyActivations",
                columns: new[] { "InstitutionId", "EndsAt" });

            migrationBuilder.CreateIndex(
                name: "IX_EmergencyConsents_AccountId",
                table: "EmergencyConsents",
                column: "AccountId");

            migrationBuilder.CreateIndex(
                name: "IX_EmergencyConsents_ActivationId",
                table: "EmergencyConsents",
                column: "ActivationId");

            migrationBuilder.CreateIndex(
                name: "IX_EmergencyConsents_InstitutionId_RecordedAt",
                table: "EmergencyConsents",
                columns: new[] { "InstitutionId", "RecordedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_HealthCheckResults_OccurredOn",
                table: "HealthCheckResults",
                column: "OccurredOn");

            migrationBuilder.CreateIndex(
                name: "IX_HealthCheckResults_PersonId_OccurredOn",
                table: "HealthCheckResults",
                columns: new[] { "PersonId", "OccurredOn" });

            migrationBuilder.CreateIndex(
                name: "IX_Institutions_Code",
                table: "Institutions",
                column: "Code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_InsuredPersons_Birthdate_Sex",
                table: "InsuredPersons",
                columns: new[] { "Birthdate", "Sex" });

            migrationBuilder.CreateIndex(
                name: "IX_LimitCertificates_InsurerNumber",
                table: "LimitCertificates",
                column: "InsurerNumber");

            migrationBuilder.CreateIndex(
                name: "IX_LimitCertificates_PersonId",
                table: "LimitCertificates",
                column: "PersonId");

            migrationBuilder.CreateIndex(
                name: "IX_MachineAccounts_ClientId",
                table: "MachineAccounts",
                column: "ClientId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MachineAccounts_InstitutionId",
                table: "MachineAccounts",
                column: "InstitutionId");

            migrationBuilder.CreateIndex(
                name: "IX_MedicalAssistanceQualifications_BearerNumber_RecipientNumber",
                table: "MedicalAssistanceQualifications",
                columns: new[] { "BearerNumber", "RecipientNumber" });

            migrationBuilder.CreateIndex(
                name: "IX_MedicalAssistanceQualifications_PersonId",
                table: "MedicalAssistanceQualifications",
                column: "PersonId");

            migrationBuilder.CreateIndex(
                name: "IX_MedicalInformationViews_AccountId",
                table: "MedicalInformationViews",
                column: "AccountId");

            migrationBuilder.CreateIndex(
                name: "IX_MedicalInformationViews_InstitutionId_ViewedAt",
                table: "MedicalInformationViews",
                columns: new[] { "InstitutionId", "ViewedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_MedicalTickets_PersonId",
                table: "MedicalTickets",
                column: "PersonId");

            migrationBuilder.CreateIndex(
                name: "IX_MedicationDispensings_OccurredOn",
                table: "MedicationDispensings",
                column: "OccurredOn");

            migrationBuilder.CreateIndex(
                name: "IX_MedicationDispensings_PersonId_OccurredOn",
                table: "MedicationDispensings",
                columns: new[] { "PersonId", "OccurredOn" });

            migrationBuilder.CreateIndex(
                name: "IX_Qualifications_InsurerNumber_Number_Symbol_Branch",
                table: "Qualifications",
                columns: new[] { "InsurerNumber", "Number", "Symbol", "Branch" });

            migrationBuilder.CreateIndex(
                name: "IX_Qualifications_PersonId",
                table: "Qualifications",
                column: "PersonId");

            migrationBuilder.CreateIndex(
                name: "IX_RecoveryCodes_AccountId",
                table: "RecoveryCodes",
                column: "AccountId");

            migrationBuilder.CreateIndex(
                name: "IX_ReferenceNumbers_InstitutionId_PersonId",
                table: "ReferenceNumbers",
                columns: new[] { "InstitutionId", "PersonId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_RevocationLists_AnchorId_Id",
                table: "RevocationLists",
                columns: new[] { "AnchorId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_SpecificDiseaseCertificates_InsurerNumber",
                table: "SpecificDiseaseCertificates",
                column: "InsurerNumber");

            migrationBuilder.CreateIndex(
                name: "IX_SpecificDiseaseCertificates_PersonId",
                table: "SpecificDiseaseCertificates",
                column: "PersonId");

            migrationBuilder.CreateIndex(
                name: "IX_SurgeryRecords_OccurredOn",
                table: "SurgeryRecords",
                column: "OccurredOn");

            migrationBuilder.CreateIndex(
                name: "IX_SurgeryRecords_PersonId_OccurredOn",
                table: "SurgeryRecords",
                columns: new[] { "PersonId", "OccurredOn" });

            migrationBuilder.CreateIndex(
                name: "IX_TermsAgreements_AccountId",
                table: "TermsAgreements",
                column: "AccountId");

            migrationBuilder.CreateIndex(
                name: "IX_TermsAgreements_InstitutionId_AgreedAt",
                table: "TermsAgreements",
                columns: new[] { "InstitutionId", "AgreedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_TreatmentRecords_OccurredOn",
                table: "TreatmentRecords",
                column: "OccurredOn");

            migrationBuilder.CreateIndex(
                name: "IX_TreatmentRecords_PersonId_OccurredOn",
                table: "TreatmentRecords",
                columns: new[] { "PersonId", "OccurredOn" });

            migrationBuilder.CreateIndex(
                name: "IX_TwoFactorCredentials_InstitutionId",
                table: "TwoFactorCredentials",
                column: "InstitutionId");

            migrationBuilder.CreateIndex(
                name: "IX_UsedProofs_ExpiresAt",
                table: "UsedProofs",
                column: "ExpiresAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AuditChainHeads");

            migrationBuilder.DropTable(
                name: "AuditEntries");

            migrationBuilder.DropTable(
                name: "BulkJobs");

            migrationBuilder.DropTable(
                name: "CardLinks");

            migrationBuilder.DropTable(
                name: "ConfirmationFeed");

            migrationBuilder.DropTable(
                name: "ConfirmationFeedCounters");

            migrationBuilder.DropTable(
                name: "ConsentRecords");

            migrationBuilder.DropTable(
                name: "DataProtectionKeys");

            migrationBuilder.DropTable(
                name: "ElderlyRecipientCertificates");

            migrationBuilder.DropTable(
                name: "EmergencyConsents");

            migrationBuilder.DropTable(
                name: "HealthCheckResults");

            migrationBuilder.DropTable(
                name: "InstitutionSettings");

            migrationBuilder.DropTable(
                name: "LimitCertificates");

            migrationBuilder.DropTable(
                name: "MedicalAssistanceQualifications");

            migrationBuilder.DropTable(
                name: "MedicalInformationViews");

            migrationBuilder.DropTable(
                name: "MedicalTickets");

            migrationBuilder.DropTable(
                name: "MedicationDispensings");

            migrationBuilder.DropTable(
                name: "Qualifications");

            migrationBuilder.DropTable(
                name: "RecoveryCodes");

            migrationBuilder.DropTable(
                name: "ReferenceNumbers");

            migrationBuilder.DropTable(
                name: "RevocationLists");

            migrationBuilder.DropTable(
                name: "SpecificDiseaseCertificates");

            migrationBuilder.DropTable(
                name: "SurgeryRecords");

            migrationBuilder.DropTable(
                name: "TermsAgreements");

            migrationBuilder.DropTable(
                name: "TreatmentRecords");

            migrationBuilder.DropTable(
                name: "TwoFactorCredentials");

            migrationBuilder.DropTable(
                name: "UsedProofs");

            migrationBuilder.DropTable(
                name: "MachineAccounts");

            migrationBuilder.DropTable(
                name: "AppConfirmations");

            migrationBuilder.DropTable(
                name: "EmergencyActivations");

            migrationBuilder.DropTable(
                name: "Insurers");

            migrationBuilder.DropTable(
                name: "InsuredPersons");

            migrationBuilder.DropTable(
                name: "Challenges");

            migrationBuilder.DropTable(
                name: "AppSessions");

            migrationBuilder.DropTable(
                name: "Devices");

            migrationBuilder.DropTable(
                name: "ActivationCodes");

            migrationBuilder.DropTable(
                name: "Accounts");

            migrationBuilder.DropTable(
                name: "Institutions");
        }
    }
}
