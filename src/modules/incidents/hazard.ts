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
  description: "灾种 Kind of hazard named in the district plan: what an incident is, what a supply item serves.",
  valuesConfig: {
    FLOOD_DROUGHT: { description: "水旱灾害 Flood or drought." },
    GEOLOGICAL: { description: "地质灾害 Landslide, debris flow, collapse." },
    FOREST_FIRE: { description: "森林火灾 Forest fire." },
    EARTHQUAKE: { description: "地震 Earthquake." },
    METEOROLOGICAL: { description: "气象灾害 Storm, hail, cold wave, heat." },
    PRODUCTION_SAFETY: { description: "安全生产事故 Production-safety accident." },
    OTHER: { description: "其他。Anything else." },
  },
});

