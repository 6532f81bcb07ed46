// Where goods go (目的地), as a dispatch order and a supply request both keep it: the kind, the
// region it lies in (filters and township scope use it), the storage site when goods go into a
// store's books, the point, the address and who receives them (personal data). One declaration
// for both tables; only the foreign keys' names differ (they are named after their table, as the
// migrations created them). allocation.service.ts's destinationColumns() fills these columns
// from a resolved destination.
import { Column, JoinColumn, ManyToOne } from "typeorm";
import { Field, Float, ObjectType } from "type-graphql";
import { maskName, maskPhone, PersonalData } from "../../core/access/personal-data";
import { Region } from "../regions/region.entity";
import { StorageSite } from "../reserves/storage-site.entity";
import { DestinationKind } from "./dispatch.enums";

/** The destination columns for the table `table`, as a base class its entity extends. */
export function DestinationColumns(table: "dispatch_order" | "supply_request") {
  // An object type so that type-graphql gives its fields to the type extending it (getSuperClassType);
  // never emitted itself, as nothing refers to it.
  @ObjectType(`${table === "dispatch_order" ? "DispatchOrder" : "SupplyRequest"}DestinationColumns`)
  abstract class Destination {
    @Field(() => DestinationKind, { description: "目的地类别。Whether the goods go to a region, into a storage site, or to a point in the field." })
    @Column({ name: "destination_kind", type: "text" })
    destinationKind: DestinationKind;

    /** Every destination lies in a region (a site's region, the region a point lies in): filters and scope use it. */
    @Column({ name: "destination_region_id", type: "integer" })
    destinationRegionId: number;

    @ManyToOne(() => Region, { onDelete: "RESTRICT" })
    @JoinColumn({ name: "destination_region_id", foreignKeyConstraintName: `FK_${table}_destination_region` })
    destinationRegionRow?: Region;

    @Column({ name: "destination_site_id", type: "integer", nullable: true })
    destinationSiteId: number | null;

    @ManyToOne(() => StorageSite, { onDelete: "RESTRICT" })
    @JoinColumn({ name: "destination_site_id", foreignKeyConstraintName: `FK_${table}_destination_site` })
    destinationSiteRow?: StorageSite;

    @Field(() => Float, { description: "目的地纬度。Latitude of the destination (the region's centre, the site, or the point), WGS-84." })
    @Column({ name: "destination_latitude", type: "double precision" })
    destinationLatitude: number;

    @Field(() => Float, { description: "目的地经度。Longitude of the destination, WGS-84." })
    @Column({ name: "destination_longitude", type: "double precision" })
    destinationLongitude: number;

    @Field(() => String, { nullable: true, description: "目的地地址。Address or description of the destination (e.g. 临江镇中学安置点)." })
    @Column({ name: "destination_address", type: "text", nullable: true })
    destinationAddress: string | null;

    @Field(() => String, { nullable: true, description: "收货人 Who receives the goods at the destination — personal data: masked for roles that may not see it." })
    @PersonalData({ mask: maskName })
    @Column({ name: "receiver_name", type: "text", nullable: true })
    receiverName: string | null;

    @Field(() => String, { nullable: true, description: "收货人电话 Receiver's phone — personal data: masked for roles that may not see it." })
    @PersonalData({ mask: maskPhone })
    @Column({ name: "receiver_phone", type: "text", nullable: true })
    receiverPhone: string | null;
  }
  return Destination;
}
