// The data endpoints the service ships (src/modules/data-endpoints/shipped-endpoints.ts), in
// every new database — production included: they are reference queries, not demo data. Matched
// by name: a shipped one nobody changed since (updated_by is still 系统预置) takes this release's
// document, so `npm run seed` after an upgrade brings the new parameters (regionCode, orderBy);
// one an administrator changed is left as it is; one removed comes back only if `npm run seed`
// is run again (start-up seeds empty databases only).
import { getOperationAST, parse } from "graphql";
import type { EntityManager } from "typeorm";
import { declaredVariables } from "../src/modules/data-endpoints/document-check";
import { SHIPPED_ENDPOINTS } from "../src/modules/data-endpoints/shipped-endpoints";

/** Who the shipped endpoints are registered by. */
export const SHIPPED_BY = "系统预置";

export async function seedDataEndpoints(manager: EntityManager): Promise<void> {
  for (const endpoint of SHIPPED_ENDPOINTS) {
    const operation = getOperationAST(parse(endpoint.document))!;
    await manager.query(
      `INSERT INTO data_endpoint (name, title, description, document, operation_name, variables, formats, registered_by, updated_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
       ON CONFLICT (name) DO UPDATE
         SET title = EXCLUDED.title, description = EXCLUDED.description, document = EXCLUDED.document,
             operation_name = EXCLUDED.operation_name, variables = EXCLUDED.variables, formats = EXCLUDED.formats, updated_at = now()
         WHERE data_endpoint.updated_by = $8 AND data_endpoint.document IS DISTINCT FROM EXCLUDED.document`,
      [endpoint.name, endpoint.title, endpoint.description, endpoint.document, operation.name?.value ?? null, JSON.stringify(declaredVariables(operation)), endpoint.formats, SHIPPED_BY],
    );
  }
}
