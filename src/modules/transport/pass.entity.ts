// Green-channel passes (绿色通道通行证): priority passage for one vehicle on a route or in some
// regions, for a validity window. Checked when an URGENT order is dispatched on a trip whose
// usual way crosses a closed road (trips.service.ts, beforeDispatch).
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, Unique } from "typeorm";
import { Field, ID, ObjectType } from "type-graphql";
import { maskName, PersonalData } from "../../core/access/personal-data";
import { Node, toGlobalId } from "../../core/graphql/relay";
import { Region } from "../regions/region.entity";
import { TransportResource } from "./transport.entity";

@ObjectType({ implements: Node, description: "绿色通道通行证 A green-channel pass: priority passage for one vehicle, on a route or in some regions, for a validity window." })
@Entity("green_channel_pass")
@Unique("UQ_green_channel_pass_number", ["number"])
@Index("IDX_green_channel_pass_vehicle", ["vehicleId", "validUntil"])
@Check("CHK_green_channel_pass_window", `"valid_until" > "valid_from"`)
export class GreenChannelPass {
  @PrimaryGeneratedColumn({ type: "integer", primaryKeyConstraintName: "PK_green_channel_pass" })
  id: number;

  @Field(() => ID, { name: "id", description: "全局 ID。Global id." })
  get globalId(): string {
    return toGlobalId("GreenChannelPass", this.id);
  }

  @Field(() => String, { description: "通行证号。Pass number as printed, e.g. KZ-LSTD-2026-0012." })
  @Column({ type: "text" })
  number: string;

  @Column({ name: "vehicle_id", type: "integer" })
  vehicleId: number;

  @ManyToOne(() => TransportResource, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "vehicle_id", foreignKeyConstraintName: "FK_green_channel_pass_vehicle" })
  vehicle?: TransportResource;

  @Field(() => String, { nullable: true, description: "通行路线 Route as written on the pass, e.g. G348 开州—温泉段." })
  @Column({ type: "text", nullable: true })
  route: string | null;

  @Field(() => Date, { description: "生效时间。Valid from." })
  @Column({ name: "valid_from", type: "timestamptz" })
  validFrom: Date;

  @Field(() => Date, { description: "失效时间。Valid until (exclusive)." })
  @Column({ name: "valid_until", type: "timestamptz" })
  validUntil: Date;

  @Field(() => String, { description: "签发机关 Issuing authority, e.g. 开州区交巡警支队." })
  @Column({ type: "text" })
  issuer: string;

  @Field(() => String, { description: "登记人 Who recorded the pass — personal data: masked for roles that may not see it." })
  @PersonalData({ mask: maskName })
  @Column({ name: "issued_by", type: "text" })
  issuedBy: string;

  @Field(() => Date, { description: "登记时间。When it was recorded." })
  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt: Date;

  @Field(() => Date, { nullable: true, description: "作废时间。When it was revoked; a revoked pass is never valid." })
  @Column({ name: "revoked_at", type: "timestamptz", nullable: true })
  revokedAt: Date | null;
}

/** Regions a pass is good in (none: the whole district, along its route). */
@Entity("green_channel_pass_region")
@Index("IDX_green_channel_pass_region_region", ["regionId"])
export class PassRegion {
  @PrimaryColumn({ name: "pass_id", type: "integer", primaryKeyConstraintName: "PK_green_channel_pass_region" })
  passId: number;

  @PrimaryColumn({ name: "region_id", type: "integer", primaryKeyConstraintName: "PK_green_channel_pass_region" })
  regionId: number;

  @ManyToOne(() => GreenChannelPass, { onDelete: "CASCADE" })
  @JoinColumn({ name: "pass_id", foreignKeyConstraintName: "FK_green_channel_pass_region_pass" })
  pass?: GreenChannelPass;

  @ManyToOne(() => Region, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "region_id", foreignKeyConstraintName: "FK_green_channel_pass_region_region" })
  region?: Region;
}
