// Territorial scope (属地管理): a LOGISTICS account may be limited to one township-level
// unit, and then acts only on sites and villages under it. Services call these checks with
// the materialised path of the region an operation touches (Region.path, "/1/7/123/").
import type { Actor } from "./auth";
import { forbidden } from "../graphql/errors";

/** Whether the actor's scope covers a region, given that region's materialised path. */
export function scopeCovers(actor: Actor, regionPath: string): boolean {
  return actor.scopeRegionId === null || regionPath.includes(`/${actor.scopeRegionId}/`);
}

/** Throws FORBIDDEN (nothing is written) when the region lies outside the actor's scope. */
export function assertInScope(actor: Actor, regionPath: string, what: string): void {
  if (!scopeCovers(actor, regionPath)) {
    throw forbidden(`${what} lies outside your scope (属地): you act only within region ${actor.scopeRegionId}.`);
  }
}
