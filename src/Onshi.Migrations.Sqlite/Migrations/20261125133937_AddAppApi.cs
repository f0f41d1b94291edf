using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Onshi.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class AddAppApi : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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
                    ConfirmationId = table.Column<Guid>(type: "TEXT", nullable: false),
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
                    ResultJson = table.Column<string>(type: "TEXT", nullable: false)
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
                name: "IX_MedicalInformationViews_AccountId",
                table: "MedicalInformationViews",
                column: "AccountId");

            migrationBuilder.CreateIndex(
                name: "IX_MedicalInformationViews_InstitutionId_ViewedAt",
                table: "MedicalInformationViews",
                columns: new[] { "InstitutionId", "ViewedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_UsedProofs_ExpiresAt",
                table: "UsedProofs",
                column: "ExpiresAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AppConfirmations");

            migrationBuilder.DropTable(
                name: "ConsentRecords");

            migrationBuilder.DropTable(
                name: "MedicalInformationViews");

            migrationBuilder.DropTable(
                name: "UsedProofs");

            migrationBuilder.DropTable(
                name: "Challenges");

            migrationBuilder.DropTable(
                name: "AppSessions");

            migrationBuilder.DropTable(
                name: "Devices");
        }
    }
}
