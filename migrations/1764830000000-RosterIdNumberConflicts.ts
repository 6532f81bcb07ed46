import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * A team leader's member whose ID number is already on another team's active roster is saved
 * and flagged for the district instead of refused, so the answer never tells the leader whose
 * number it is (README, "A person on one roster at a time"). The one-roster index now holds for
 * the unflagged members.
 */
export class RosterIdNumberConflicts1764830000000 implements MigrationInterface {
  name = "RosterIdNumberConflicts1764830000000";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "team_member" ADD "id_number_conflict_with" integer`);
    await queryRunner.query(`ALTER TABLE "team_member" ADD "id_number_conflict_since" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `ALTER TABLE "team_member" ADD CONSTRAINT "FK_team_member_id_number_conflict" FOREIGN KEY ("id_number_conflict_with") REFERENCES "team_member"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "team_member" ADD CONSTRAINT "CHK_team_member_id_number_conflict" CHECK (("id_number_conflict_with" IS NULL) = ("id_number_conflict_since" IS NULL) AND ("id_number_conflict_with" IS NULL OR ("active" AND "id_number" IS NOT NULL AND "id_number_conflict_with" <> "id")))`,
    );
    await queryRunner.query(`DROP INDEX "UQ_team_member_active_id_number"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_team_member_active_id_number" ON "team_member" ("id_number") WHERE "active" AND "id_number_conflict_with" IS NULL`);
    await queryRunner.query(`CREATE INDEX "IDX_team_member_id_number_conflict" ON "team_member" ("id") WHERE "id_number_conflict_with" IS NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    const [{ conflicts }] = await queryRunner.query(`SELECT count(*)::int AS conflicts FROM "team_member" WHERE "id_number_conflict_with" IS NOT NULL`);
    // Dropping the flags would leave two active records of one person, which the old index refuses.
    if (conflicts > 0) throw new Error(`${conflicts} roster conflicts (rosterConflicts) must be resolved before this migration can be reverted.`);
    await queryRunner.query(`DROP INDEX "IDX_team_member_id_number_conflict"`);
    await queryRunner.query(`DROP INDEX "UQ_team_member_active_id_number"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_team_member_active_id_number" ON "team_member" ("id_number") WHERE "active"`);
    await queryRunner.query(`ALTER TABLE "team_member" DROP CONSTRAINT "CHK_team_member_id_number_conflict"`);
    await queryRunner.query(`ALTER TABLE "team_member" DROP CONSTRAINT "FK_team_member_id_number_conflict"`);
    await queryRunner.query(`ALTER TABLE "team_member" DROP COLUMN "id_number_conflict_since"`);
    await queryRunner.query(`ALTER TABLE "team_member" DROP COLUMN "id_number_conflict_with"`);
  }
}
