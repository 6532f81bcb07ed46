import { Check, Column, Entity, JoinColumn, ManyToOne } from "typeorm";
import { Region } from "../regions/region.entity";

/** Documents that carry a reference number counted per district and year. */
export enum DocumentKind {
  DISPATCH_ORDER = "DISPATCH_ORDER",
  INCIDENT = "INCIDENT",
  SUPPLY_REQUEST = "SUPPLY_REQUEST",
  CALL_UP = "CALL_UP",
}

/**
 * The last reference number issued per district, kind of document and year. A number is taken
 * by bumping this row inside the transaction that creates the document, so a rollback gives the
 * number back and creations racing for it queue on the row: the numbers auditors see run on
 * without gaps or repeats (a sequence would skip the numbers of rolled-back creations).
 */
@Entity("document_counter")
@Check("CHK_document_counter_kind", `"kind" IN ('DISPATCH_ORDER', 'INCIDENT', 'SUPPLY_REQUEST', 'CALL_UP')`)
@Check("CHK_document_counter_last_number", `"last_number" > 0`)
export class DocumentCounter {
  @Column({ name: "district_id", type: "integer", primary: true, primaryKeyConstraintName: "PK_document_counter" })
  districtId: number;

  @ManyToOne(() => Region, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "district_id", foreignKeyConstraintName: "FK_document_counter_district" })
  district?: Region;

  @Column({ type: "text", primary: true, primaryKeyConstraintName: "PK_document_counter" })
  kind: DocumentKind;

  /** The calendar year in the district's time zone. */
  @Column({ type: "integer", primary: true, primaryKeyConstraintName: "PK_document_counter" })
  year: number;

  @Column({ name: "last_number", type: "integer" })
  lastNumber: number;
}
