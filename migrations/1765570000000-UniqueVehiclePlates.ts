import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * 车牌唯一 A plate (or a boat's registration) belongs to one transport resource: unique as
 * normalised — upper case, without white space, middle dots (· • ・ ‧), full stops or hyphens —
 * so 渝F·D7031, 渝F D7031 and 渝fd7031 are one plate (transport.service.ts normalisePlate says
 * the same in TypeScript). A database already holding one plate twice is not changed behind
 * anyone's back: the migration stops and names the resources, for staff to correct first.
 */
export class UniqueVehiclePlates1765570000000 implements MigrationInterface {
  name = "UniqueVehiclePlates1765570000000";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DO $$
      DECLARE twice text;
      BEGIN
        SELECT string_agg(codes, '; ') INTO twice FROM (
          SELECT string_agg(code, ', ' ORDER BY code) AS codes FROM transport_resource WHERE plate IS NOT NULL
          GROUP BY upper(regexp_replace(plate, '[[:space:]·•・‧.-]', '', 'g')) HAVING count(*) > 1) d;
        IF twice IS NOT NULL THEN
          RAISE EXCEPTION 'transport resources share a plate (correct them, then migrate again): %', twice;
        END IF;
      END $$`);
    await queryRunner.query(`
      CREATE UNIQUE INDEX "UQ_transport_resource_plate" ON "transport_resource" ((upper(regexp_replace("plate", '[[:space:]·•・‧.-]', '', 'g'))))
      WHERE "plate" IS NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "UQ_transport_resource_plate"`);
  }
}
