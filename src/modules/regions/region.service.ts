// Reads of the region tree. Regions change only through seeding and migrations for now.
import { rowsByIds } from "../../core/db/batch";
import type { DataSource, EntityManager } from "typeorm";
import { Brackets } from "typeorm";
import { badUserInput } from "../../core/graphql/errors";
import { rowsByCodes } from "../../core/db/batch";
import { ConnectionType, paginate, parseGlobalId, type OrderTerm, type PageArgs } from "../../core/graphql/relay";
import { REGION_ORDER, type RegionOrderField } from "./region.orders";
import { Region } from "./region.entity";
import type { RegionWhere } from "./region.inputs";

export const RegionConnection = ConnectionType(Region, "Region", "行政区划分页。A page of regions, ordered by code.");

/** Escapes % and _ so user text in ILIKE matches literally. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * SQL, true when the materialised path in `pathColumn` lies in the subtree of the region whose
 * id is the parameter `regionIdParam` (that region included). Written as a range over the path,
 * [its path, its path with the last "/" raised to "0"), so the region_path_prefix index
 * (text_pattern_ops) serves it with the bounds worked out at run time: `path LIKE '%/id/%'`
 * would read every region, which at a hundred districts is most of a township query's time.
 */
export function subtreeCondition(pathColumn: string, regionIdParam: string): string {
  return `(${pathColumn} ~>=~ (SELECT sub.path FROM region sub WHERE sub.id = ${regionIdParam})
    AND ${pathColumn} ~<~ (SELECT left(sub.path, -1) || '0' FROM region sub WHERE sub.id = ${regionIdParam}))`;
}

export class RegionService {
  constructor(private readonly dataSource: DataSource) {}

  async list(where: RegionWhere | null | undefined, page: PageArgs, orderBy?: OrderTerm<RegionOrderField>[] | null) {
    const query = this.dataSource.getRepository(Region).createQueryBuilder("region");
    if (where?.level) query.andWhere("region.level = :level", { level: where.level });
    if (where?.parentId) {
      query.andWhere("region.parent_id = :parentId", { parentId: parseGlobalId(where.parentId, "Region", "where.parentId") });
    }
    if (where?.withinId) {
      const ancestor = await this.byId(parseGlobalId(where.withinId, "Region", "where.withinId"));
      if (!ancestor) throw badUserInput("where.withinId", "regions.noSuchRegion");
      query.andWhere("region.path LIKE :prefix AND region.id <> :ancestorId", { prefix: `${ancestor.path}%`, ancestorId: ancestor.id });
    }
    if (where?.nameContains) {
      query.andWhere(new Brackets((q) => q.where("region.name ILIKE :name", { name: likePattern(where.nameContains!) })));
    }
    return paginate(query, REGION_ORDER.sorting.resolve(orderBy), page, RegionConnection);
  }

  byId(id: number, manager: EntityManager = this.dataSource.manager): Promise<Region | null> {
    return manager.findOneBy(Region, { id });
  }

  /** Regions by code in the order asked, null where missing. */
  byCodes(codes: readonly string[]): Promise<(Region | null)[]> {
    return rowsByCodes(this.dataSource, Region, codes);
  }

  /** Regions by id in the order asked, null where missing: the shape DataLoader wants. */
  byIds(ids: readonly number[]): Promise<(Region | null)[]> {
    return rowsByIds(this.dataSource, Region, ids);
  }

  /** Ids of a region's ancestors, root first, read from its materialised path. */
  ancestorIds(region: Region): number[] {
    return region.path.split("/").filter(Boolean).map(Number).filter((id) => id !== region.id);
  }

  /**
   * One page of children for each of several parents in one statement: a window function
   * numbers each parent's children, so a list of N regions asking for children costs one
   * query, not N.
   */
  async childrenPages(parentIds: readonly number[], limit: number): Promise<Map<number, { rows: Region[]; total: number }>> {
    const raw: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT * FROM (
         SELECT r.*, row_number() OVER w AS position, count(*) OVER (PARTITION BY r.parent_id) AS total
         FROM region r WHERE r.parent_id = ANY($1)
         WINDOW w AS (PARTITION BY r.parent_id ORDER BY r.code, r.id)
       ) numbered WHERE position <= $2 ORDER BY parent_id, position`,
      [[...parentIds], limit],
    );
    const result = new Map<number, { rows: Region[]; total: number }>(parentIds.map((id) => [id, { rows: [], total: 0 }]));
    for (const row of raw) {
      const entry = result.get(row.parent_id as number)!;
      entry.total = Number(row.total);
      entry.rows.push(this.fromRow(row));
    }
    return result;
  }

  /** Turns a raw SQL row into a Region entity (so computed fields like `globalId` work). */
  fromRow(row: Record<string, unknown>): Region {
    return this.dataSource.getRepository(Region).create({
      id: row.id as number,
      code: row.code as string,
      name: row.name as string,
      level: row.level as Region["level"],
      kind: row.kind as Region["kind"],
      parentId: row.parent_id as number | null,
      districtId: row.district_id as number | null,
      path: row.path as string,
      depth: row.depth as number,
      latitude: row.latitude as number,
      longitude: row.longitude as number,
      createdAt: row.created_at as Date,
    });
  }
}
