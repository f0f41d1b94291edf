using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Onshi.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class AddMedicalAssistance : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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

            migrationBuilder.CreateIndex(
                name: "IX_MedicalAssistanceQualifications_BearerNumber_RecipientNumber",
                table: "MedicalAssistanceQualifications",
                columns: new[] { "BearerNumber", "RecipientNumber" });

            migrationBuilder.CreateIndex(
                name: "IX_MedicalAssistanceQualifications_PersonId",
                table: "MedicalAssistanceQualifications",
                column: "PersonId");

            migrationBuilder.CreateIndex(
                name: "IX_MedicalTickets_PersonId",
                table: "MedicalTickets",
                column: "PersonId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "MedicalAssistanceQualifications");

            migrationBuilder.DropTable(
                name: "MedicalTickets");
        }
    }
}
