import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Idempotency claims that only their own transaction can spend.
 * - `claim_token`: the attempt holding the claim; a retry that takes an abandoned claim over
 *   gives it a new token, and the first attempt's work, should it still reach its COMMIT,
 *   fails there (idempotency_commit) instead of doing the work a second time.
 * - `owner_instance`: the service instance whose request holds the claim; while that instance is
 *   alive (service_instance.expires_at in the future) its claim is never taken over.
 * - `result_ref`: what the work returned (global ids and plain values, never secrets), written
 *   with its COMMIT, so a retry gets the first result even when the process died before the
 *   response was stored.
 */
export class IdempotencyClaims1764820000000 implements MigrationInterface {
  name = "IdempotencyClaims1764820000000";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "service_instance" (
        "id" uuid NOT NULL,
        "host" text NOT NULL,
        "pid" integer NOT NULL,
        "started_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "PK_service_instance" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(`ALTER TABLE "idempotency_record" ADD "claim_token" uuid`);
    await queryRunner.query(`ALTER TABLE "idempotency_record" ADD "owner_instance" uuid`);
    await queryRunner.query(`ALTER TABLE "idempotency_record" ADD "result_ref" jsonb`);
    await queryRunner.query(`
      CREATE FUNCTION idempotency_commit(claims jsonb) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        wanted integer := jsonb_array_length(claims);
        marked integer;
      BEGIN
        UPDATE idempotency_record r SET committed = true, result_ref = c.result
        FROM jsonb_to_recordset(claims) AS c(id integer, token uuid, result jsonb)
        WHERE r.id = c.id AND r.claim_token = c.token;
        GET DIAGNOSTICS marked = ROW_COUNT;
        IF marked <> wanted THEN
          -- A retry took the claim over: this attempt's work must not commit beside the retry's.
          RAISE EXCEPTION 'idempotency claim taken over by a retry' USING ERRCODE = 'KZ409';
        END IF;
      END $$`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION idempotency_commit(jsonb)`);
    await queryRunner.query(`ALTER TABLE "idempotency_record" DROP COLUMN "result_ref"`);
    await queryRunner.query(`ALTER TABLE "idempotency_record" DROP COLUMN "owner_instance"`);
    await queryRunner.query(`ALTER TABLE "idempotency_record" DROP COLUMN "claim_token"`);
    await queryRunner.query(`DROP TABLE "service_instance"`);
  }
}
