import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * 拼音排序 The collation names sort by (`orderBy: NAME`): ICU's Chinese collation, which orders
 * Han characters by their Hanyu Pinyin reading (安 < 白 < 长 < 大), as a list in a Chinese office is
 * read — code-point order puts 大进镇 before 丰乐街道 for no reason a person sees.
 * A PostgreSQL built without ICU gets the same name as a copy of "C", so the schema and every
 * query stay the same there and names sort by code point (README "Sorting").
 */
export class PinyinCollation1765700000000 implements MigrationInterface {
  name = "PinyinCollation1765700000000";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DO $$
      BEGIN
        CREATE COLLATION IF NOT EXISTS "zh_pinyin" (provider = icu, locale = 'zh-u-co-pinyin');
      EXCEPTION WHEN feature_not_supported OR invalid_parameter_value OR undefined_object THEN
        RAISE WARNING 'PostgreSQL has no ICU: names sort by code point (zh_pinyin is a copy of "C")';
        CREATE COLLATION IF NOT EXISTS "zh_pinyin" FROM "C";
      END $$`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP COLLATION IF EXISTS "zh_pinyin"`);
  }
}
