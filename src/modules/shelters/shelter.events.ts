// shelterChanged: what a subscriber hears after COMMIT, and the filter by shelter, region, incident.
import { fromGlobalId } from "../../core/graphql/relay";
import type { ShelterChange } from "./shelter.enums";
import type { ShelterChangedWhere } from "./shelter.inputs";

export const SHELTER_CHANGED = "SHELTER_CHANGED";

export interface ShelterChangedPayload {
  shelterId: number;
  change: ShelterChange;
  /** The materialised path of the shelter's village, for region filters. */
  regionPath: string;
  /** The incident it is open for, or was until this change. */
  incidentId: number | null;
}

export function shelterEventMatches(payload: ShelterChangedPayload, where: ShelterChangedWhere | null | undefined): boolean {
  if (!where) return true;
  if (where.shelterId && fromGlobalId(where.shelterId)?.id !== payload.shelterId) return false;
  if (where.incidentId && fromGlobalId(where.incidentId)?.id !== payload.incidentId) return false;
  if (where.regionId) {
    const regionId = fromGlobalId(where.regionId)?.id;
    if (!payload.regionPath.includes(`/${regionId}/`)) return false;
  }
  return true;
}
