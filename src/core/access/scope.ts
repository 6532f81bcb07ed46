// Territorial scope (属地管理): a LOGISTICS account may be limited to one township-level
// unit, and then acts only on sites and villages under it. Services call these checks with
// the materialised path of the region an operation touches (Region.path, "/1/7/123/").
import type { Actor } from "./auth";
import { forbidden } from "../graphql/errors";
import type { Message } from "../i18n/i18n";

/** Whether the actor's scope covers a region, given that region's materialised path. */
export function scopeCovers(actor: Actor, regionPath: string): boolean {
  return actor.scopeRegionId === null || regionPath.includes(`/${actor.scopeRegionId}/`);
}

/** Throws FORBIDDEN (nothing is written) when the region lies outside the actor's scope. */
export function assertInScope(actor: Actor, regionPath: string, what: Message): void {
  if (!scopeCovers(actor, regionPath)) {
    throw forbidden("scope.outside", { what, region: actor.scopeRegionName ?? String(actor.scopeRegionId) });
  }
}
