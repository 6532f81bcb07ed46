// Hazard kinds from the district plan. Shared: incidents say which hazard struck, supply items
// say which hazards they serve.
import { registerEnumType } from "type-graphql";

export enum Hazard {
  FLOOD_DROUGHT = "FLOOD_DROUGHT",
  GEOLOGICAL = "GEOLOGICAL",
  FOREST_FIRE = "FOREST_FIRE",
  EARTHQUAKE = "EARTHQUAKE",
  METEOROLOGICAL = "METEOROLOGICAL",
  PRODUCTION_SAFETY = "PRODUCTION_SAFETY",
  OTHER = "OTHER",
}
registerEnumType(Hazard, {
  name: "Hazard",
  description: "Kind of hazard (灾种) named in the district plan: what an incident is, what a supply item serves.",
  valuesConfig: {
    FLOOD_DROUGHT: { description: "Flood or drought (水旱灾害)." },
    GEOLOGICAL: { description: "Landslide, debris flow, collapse (地质灾害)." },
    FOREST_FIRE: { description: "Forest fire (森林火灾)." },
    EARTHQUAKE: { description: "Earthquake (地震)." },
    METEOROLOGICAL: { description: "Storm, hail, cold wave, heat (气象灾害)." },
    PRODUCTION_SAFETY: { description: "Production-safety accident (安全生产事故)." },
    OTHER: { description: "Anything else." },
  },
});

