import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique } from "typeorm";
import { Field, ID, ObjectType } from "type-graphql";
import { Role } from "../../core/access/auth";
import { Node, toGlobalId } from "../../core/graphql/relay";
import { ROLE_CHECK } from "./account.entity";

@ObjectType({ implements: Node, description: "接口密钥 An API key for a third-party dashboard or integration. Only a hash of the key is stored." })
@Entity("api_key")
@Unique("UQ_api_key_hash", ["keyHash"])
@Check("CHK_api_key_role", ROLE_CHECK)
export class ApiKey {
  @PrimaryGeneratedColumn({ type: "integer", primaryKeyConstraintName: "PK_api_key" })
  id: number;

  @Field(() => ID, { name: "id", description: "全局 ID。Global id." })
  get globalId(): string {
    return toGlobalId("ApiKey", this.id);
  }

  @Field(() => String, { description: "用途。What the key is for, e.g. 指挥中心大屏." })
  @Column({ type: "text" })
  name: string;

  @Field(() => Role, { description: "角色。The role the key acts with (usually DASHBOARD)." })
  @Column({ type: "text" })
  role: Role;

  /** SHA-256 of the key: keys are long random strings, so a fast hash is enough and lookups stay indexed. */
  @Column({ name: "key_hash", type: "text" })
  keyHash: string;

  @Field(() => String, { description: "密钥前缀。The key's first characters, to tell keys apart without revealing them." })
  @Column({ type: "text" })
  prefix: string;

  @Column({ name: "created_by", type: "integer", nullable: true })
  createdBy: number | null;

  @Field(() => Date, { description: "创建时间。When the key was created." })
  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt: Date;

  @Field(() => Date, { nullable: true, description: "吊销时间。When the key was revoked; a revoked key fails at its next request." })
  @Column({ name: "revoked_at", type: "timestamptz", nullable: true })
  revokedAt: Date | null;
}
