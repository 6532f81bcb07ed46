import { Field, Float, ID, InputType } from "type-graphql";
import { MutationInput } from "../../core/mutation/mutation-input";
import { Hazard, IncidentStatus, ResponseLevel } from "./incident.entity";
import { IdOrCodeFilter } from "../../core/graphql/code-filters";
import { INCIDENT, REGION } from "../known-codes";

@InputType({ description: "启动事件响应。Open an incident (COMMANDER)." })
export class OpenIncidentInput extends MutationInput {
  @Field(() => String, { description: "事件标题。Short title, e.g. 南河汛情 (1–200 characters)." })
  title: string;

  @Field(() => String, { nullable: true, description: "事件经过。What happened, as known." })
  description?: string | null;

  @Field(() => Hazard, { description: "灾种。Kind of emergency." })
  hazard: Hazard;

  @Field(() => ResponseLevel, { description: "响应级别。Response level, I most severe." })
  level: ResponseLevel;

  @Field(() => [ID], { description: "受影响区域。Regions affected (at least one; townships or villages of one district)." })
  regionIds: string[];

  @Field(() => Float, { nullable: true, description: "现场纬度。Latitude of the scene (inside the district's area)." })
  latitude?: number | null;

  @Field(() => Float, { nullable: true, description: "现场经度。Longitude of the scene." })
  longitude?: number | null;

  @Field(() => String, { nullable: true, description: "现场指挥长姓名。On-scene commander's name." })
  commanderName?: string | null;

  @Field(() => Date, { nullable: true, description: "发生时间。When it happened; default now. Not in the future." })
  occurredAt?: Date | null;
}

@InputType({ description: "修改事件。Change an open incident (COMMANDER). Omitted fields stay as they are." })
export class UpdateIncidentInput extends MutationInput {
  @Field(() => ID, { description: "突发事件。The incident." })
  incidentId: string;

  @Field(() => String, { nullable: true, description: "新标题。New title." })
  title?: string | null;

  @Field(() => String, { nullable: true, description: "新事件经过。New description." })
  description?: string | null;

  @Field(() => ResponseLevel, { nullable: true, description: "响应级别。Raised or lowered response level." })
  level?: ResponseLevel | null;

  @Field(() => [ID], { nullable: true, description: "受影响区域。The full new list of regions affected." })
  regionIds?: string[] | null;

  @Field(() => Float, { nullable: true, description: "现场纬度。Latitude of the scene." })
  latitude?: number | null;

  @Field(() => Float, { nullable: true, description: "现场经度。Longitude of the scene." })
  longitude?: number | null;

  @Field(() => String, { nullable: true, description: "现场指挥长姓名。On-scene commander's name." })
  commanderName?: string | null;
}

@InputType({ description: "关闭事件。Close an incident: the response has ended (COMMANDER)." })
export class CloseIncidentInput extends MutationInput {
  @Field(() => ID, { description: "突发事件。The incident." })
  incidentId: string;
}

@InputType({ description: "突发事件筛选。Filter for incidents." })
export class IncidentWhere {
  @Field(() => IncidentStatus, { nullable: true, description: "事件状态。OPEN or CLOSED." })
  status?: IncidentStatus | null;

  @Field(() => Hazard, { nullable: true, description: "灾种。Kind of emergency." })
  hazard?: Hazard | null;

  @IdOrCodeFilter(REGION, "区域。Only incidents affecting this region or any region inside it.")
  regionId?: string | null;

  @Field(() => Date, { nullable: true, description: "起始时间。Occurred at or after this time." })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: "截止时间。Occurred before this time." })
  to?: Date | null;
}

@InputType({ description: "事件变化筛选。Which incident changes a subscriber wants." })
export class IncidentChangedWhere {
  @IdOrCodeFilter(INCIDENT, "事件。Only this incident.")
  incidentId?: string | null;

  @IdOrCodeFilter(REGION, "区域。Only incidents affecting this region or inside it.")
  regionId?: string | null;
}
