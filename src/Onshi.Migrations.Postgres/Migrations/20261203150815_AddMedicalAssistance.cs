using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Onshi.Migrations.Postgres.Migrations
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    PersonId = table.Column<long>(type: "bigint", nullable: false),
                    BearerNumber = table.Column<string>(type: "character varying(8)", unicode: false, maxLength: 8, nullable: false),
                    RecipientNumber = table.Column<string>(type: "character varying(7)", unicode: false, maxLength: 7, nullable: false),
                    WelfareOfficeName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    StartDate = table.Column<DateOnly>(type: "date", nullable: false),
                    EndDate = table.Column<DateOnly>(type: "date", nullable: true)
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    PersonId = table.Column<long>(type: "bigint", nullable: false),
                    BearerNumber = table.Column<string>(type: "character varying(8)", unicode: false, maxLength: 8, nullable: false),
                    TicketType = table.Column<int>(type: "integer", nullable: false),
                    ValidFrom = table.Column<DateOnly>(type: "date", nullable: false),
                    ValidUntil = table.Column<DateOnly>(type: "date", nullable: false),
                    IssueNumber = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    TreatmentMonth = table.Column<DateOnly>(type: "date", nullable: false),
                    DesignatedInstitutionCode = table.Column<string>(type: "character varying(10)", unicode: false, maxLength: 10, nullable: false),
                    DesignatedInstitutionName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    PrescriptionIssuerCode = table.Column<string>(type: "character varying(10)", unicode: false, maxLength: 10, nullable: false),
                    PrescriptionIssuerName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    InjuryName1 = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    InjuryName2 = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    InjuryName3 = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    TreatmentType = table.Column<int>(type: "integer", nullable: false),
                    SelfPayAmount = table.Column<int>(type: "integer", nullable: false),
                    DistrictContactName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    HandlingContactName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    SingleOrCombinedUse = table.Column<int>(type: "integer", nullable: false),
                    SocialInsurance = table.Column<int>(type: "integer", nullable: false),
                    Remarks = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
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
