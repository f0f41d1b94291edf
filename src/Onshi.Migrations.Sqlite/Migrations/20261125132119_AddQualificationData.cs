using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Onshi.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class AddQualificationData : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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
                name: "IX_ElderlyRecipientCertificates_InsurerNumber",
                table: "ElderlyRecipientCertificates",
                column: "InsurerNumber");

            migrationBuilder.CreateIndex(
                name: "IX_ElderlyRecipientCertificates_PersonId",
                table: "ElderlyRecipientCertificates",
                column: "PersonId");

            migrationBuilder.CreateIndex(
                name: "IX_HealthCheckResults_OccurredOn",
                table: "HealthCheckResults",
                column: "OccurredOn");

            migrationBuilder.CreateIndex(
                name: "IX_HealthCheckResults_PersonId_OccurredOn",
                table: "HealthCheckResults",
                columns: new[] { "PersonId", "OccurredOn" });

            migrationBuilder.CreateIndex(
                name: "IX_LimitCertificates_InsurerNumber",
                table: "LimitCertificates",
                column: "InsurerNumber");

            migrationBuilder.CreateIndex(
                name: "IX_LimitCertificates_PersonId",
                table: "LimitCertificates",
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
                name: "IX_TreatmentRecords_OccurredOn",
                table: "TreatmentRecords",
                column: "OccurredOn");

            migrationBuilder.CreateIndex(
                name: "IX_TreatmentRecords_PersonId_OccurredOn",
                table: "TreatmentRecords",
                columns: new[] { "PersonId", "OccurredOn" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CardLinks");

            migrationBuilder.DropTable(
                name: "ElderlyRecipientCertificates");

            migrationBuilder.DropTable(
                name: "HealthCheckResults");

            migrationBuilder.DropTable(
                name: "LimitCertificates");

            migrationBuilder.DropTable(
                name: "MedicationDispensings");

            migrationBuilder.DropTable(
                name: "Qualifications");

            migrationBuilder.DropTable(
                name: "RevocationLists");

            migrationBuilder.DropTable(
                name: "SpecificDiseaseCertificates");

            migrationBuilder.DropTable(
                name: "SurgeryRecords");

            migrationBuilder.DropTable(
                name: "TreatmentRecords");

            migrationBuilder.DropTable(
                name: "Insurers");

            migrationBuilder.DropTable(
                name: "InsuredPersons");
        }
    }
}
