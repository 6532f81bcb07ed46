import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * A per-account token version: access tokens carry the version they were signed at, and a
 * password change, a reset or a (de)activation bumps it, so every earlier token stops working.
 */
export class AccountTokenVersion1764810000000 implements MigrationInterface {
  name = "AccountTokenVersion1764810000000";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "account" ADD "token_version" integer NOT NULL DEFAULT 0`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "account" DROP COLUMN "token_version"`);
  }
}
