import { Field, Float, ID, InputType } from "type-graphql";
import { MutationInput } from "../../core/mutation/mutation-input";
import { Hazard, IncidentStatus, ResponseLevel } from "./incident.entity";

@InputType({ description: "Open an incident (COMMANDER)." })
export class OpenIncidentInput extends MutationInput {
  @Field(() => String, { description: "Short title, e.g. 南河汛情 (1–200 characters)." })
  title: string;

  @Field(() => String, { nullable: true, description: "What happened, as known." })
  description?: string | null;

  @Field(() => Hazard, { description: "Kind of emergency." })
  hazard: Hazard;

  @Field(() => ResponseLevel, { description: "Response level, I most severe." })
  level: ResponseLevel;

  @Field(() => [ID], { description: "Regions affected (at least one; townships or villages of one district)." })
  regionIds: string[];

  @Field(() => Float, { nullable: true, description: "Latitude of the scene (inside the district's area)." })
  latitude?: number | null;

  @Field(() => Float, { nullable: true, description: "Longitude of the scene." })
  longitude?: number | null;

  @Field(() => String, { nullable: true, description: "On-scene commander's name." })
  commanderName?: string | null;

  @Field(() => Date, { nullable: true, description: "When it happened; default now. Not in the future." })
  occurredAt?: Date | null;
}

@InputType({ description: "Change an open incident (COMMANDER). Omitted fields stay as they are." })
export class UpdateIncidentInput extends MutationInput {
  @Field(() => ID, { description: "The incident." })
  incidentId: string;

  @Field(() => String, { nullable: true, description: "New title." })
  title?: string | null;

  @Field(() => String, { nullable: true, description: "New description." })
  description?: string | null;

  @Field(() => ResponseLevel, { nullable: true, description: "Raised or lowered response level." })
  level?: ResponseLevel | null;

  @Field(() => [ID], { nullable: true, description: "The full new list of regions affected." })
  regionIds?: string[] | null;

  @Field(() => Float, { nullable: true, description: "Latitude of the scene." })
  latitude?: number | null;

  @Field(() => Float, { nullable: true, description: "Longitude of the scene." })
  longitude?: number | null;

  @Field(() => String, { nullable: true, description: "On-scene commander's name." })
  commanderName?: string | null;
}

@InputType({ description: "Close an incident: the response has ended (COMMANDER)." })
export class CloseIncidentInput extends MutationInput {
  @Field(() => ID, { description: "The incident." })
  incidentId: string;
}

@InputType({ description: "Filter for incidents." })
export class IncidentWhere {
  @Field(() => IncidentStatus, { nullable: true, description: "OPEN or CLOSED." })
  status?: IncidentStatus | null;

  @Field(() => Hazard, { nullable: true, description: "Kind of emergency." })
  hazard?: Hazard | null;

  @Field(() => ID, { nullable: true, description: "Only incidents affecting this region or any region inside it." })
  regionId?: string | null;

  @Field(() => Date, { nullable: true, description: "Occurred at or after this time." })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: "Occurred before this time." })
  to?: Date | null;
}

@InputType({ description: "Which incident changes a subscriber wants." })
export class IncidentChangedWhere {
  @Field(() => ID, { nullable: true, description: "Only this incident." })
  incidentId?: string | null;

  @Field(() => ID, { nullable: true, description: "Only incidents affecting this region or inside it." })
  regionId?: string | null;
}
