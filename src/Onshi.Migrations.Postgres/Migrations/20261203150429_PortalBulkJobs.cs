using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Onshi.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class PortalBulkJobs : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<int>(
                name: "RegisteredByMachineAccountId",
                table: "ReferenceNumbers",
                type: "integer",
                nullable: true,
                oldClrType: typeof(int),
                oldType: "integer");

            migrationBuilder.AddColumn<int>(
                name: "RegisteredByAccountId",
                table: "ReferenceNumbers",
                type: "integer",
                nullable: true);

            migrationBuilder.AlterColumn<int>(
                name: "MachineAccountId",
                table: "BulkJobs",
                type: "integer",
                nullable: true,
                oldClrType: typeof(int),
                oldType: "integer");

            migrationBuilder.AddColumn<int>(
                name: "AccountId",
                table: "BulkJobs",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_BulkJobs_AccountId",
                table: "BulkJobs",
                column: "AccountId");

            migrationBuilder.CreateIndex(
                name: "IX_BulkJobs_InstitutionId_AccountId_AcceptedAt",
                table: "BulkJobs",
                columns: new[] { "InstitutionId", "AccountId", "AcceptedAt" });

            migrationBuilder.AddCheckConstraint(
                name: "CK_BulkJobs_Uploader",
                table: "BulkJobs",
                sql: "(\"MachineAccountId\" IS NULL) <> (\"AccountId\" IS NULL)");

            migrationBuilder.AddForeignKey(
                name: "FK_BulkJobs_Accounts_AccountId",
                table: "BulkJobs",
                column: "AccountId",
                principalTable: "Accounts",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_BulkJobs_Accounts_AccountId",
                table: "BulkJobs");

            migrationBuilder.DropIndex(
                name: "IX_BulkJobs_AccountId",
                table: "BulkJobs");

            migrationBuilder.DropIndex(
                name: "IX_BulkJobs_InstitutionId_AccountId_AcceptedAt",
                table: "BulkJobs");

            migrationBuilder.DropCheckConstraint(
                name: "CK_BulkJobs_Uploader",
                table: "BulkJobs");

            migrationBuilder.DropColumn(
                name: "RegisteredByAccountId",
                table: "ReferenceNumbers");

            migrationBuilder.DropColumn(
                name: "AccountId",
                table: "BulkJobs");

            migrationBuilder.AlterColumn<int>(
                name: "RegisteredByMachineAccountId",
                table: "ReferenceNumbers",
                type: "integer",
                nullable: false,
                defaultValue: 0,
                oldClrType: typeof(int),
                oldType: "integer",
                oldNullable: true);

            migrationBuilder.AlterColumn<int>(
                name: "MachineAccountId",
                table: "BulkJobs",
                type: "integer",
                nullable: false,
                defaultValue: 0,
                oldClrType: typeof(int),
                oldType: "integer",
                oldNullable: true);
        }
    }
}
