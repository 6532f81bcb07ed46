import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Reference numbers counted per district and year without gaps (document_counter), started
 * from the numbers already issued: dispatch orders took theirs from the id sequence, which left
 * gaps (every other number, and one per rolled-back creation) and never restarted with the
 * year; incidents counted their rows, which repeated numbers when two were opened at once.
 * Numbers issued stay as they are. The id sequence of dispatch_order stays: it still numbers
 * the rows' ids, just no longer their codes.
 */
export class DocumentCounters1764800000000 implements MigrationInterface {
  name = "DocumentCounters1764800000000";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "document_counter" (
        "district_id" integer NOT NULL,
        "kind" text NOT NULL,
        "year" integer NOT NULL,
        "last_number" integer NOT NULL,
        CONSTRAINT "PK_document_counter" PRIMARY KEY ("district_id", "kind", "year"),
        CONSTRAINT "CHK_document_counter_kind" CHECK ("kind" IN ('DISPATCH_ORDER', 'INCIDENT')),
        CONSTRAINT "CHK_document_counter_last_number" CHECK ("last_number" > 0),
        CONSTRAINT "FK_document_counter_district" FOREIGN KEY ("district_id") REFERENCES "region"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
      )`);
    // The highest number issued per district and year, read from codes of the documented shape
    // (<district code>-DO-<year>-<number>, <district code>-<year>-<number>); other codes
    // (bench and test rows) are not numbers of the series.
    await queryRunner.query(`
      INSERT INTO "document_counter" ("district_id", "kind", "year", "last_number")
      SELECT district_id, kind, substr(tail, 1, 4)::int, max(substr(tail, 6)::int)
      FROM (
        SELECT o.district_id, 'DISPATCH_ORDER' AS kind, substr(o.code, length(r.code) + 5) AS tail
        FROM "dispatch_order" o JOIN "region" r ON r.id = o.district_id
        WHERE left(o.code, length(r.code) + 4) = r.code || '-DO-'
        UNION ALL
        SELECT i.district_id, 'INCIDENT', substr(i.code, length(r.code) + 2)
        FROM "incident" i JOIN "region" r ON r.id = i.district_id
        WHERE left(i.code, length(r.code) + 1) = r.code || '-'
      ) issued
      WHERE tail ~ '^[0-9]{4}-0*[1-9][0-9]{0,8}$'
      GROUP BY district_id, kind, substr(tail, 1, 4)::int`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "document_counter"`);
  }
}
