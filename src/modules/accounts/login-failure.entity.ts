import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

/**
 * Failed sign-ins, counted per username and per client address within a window to refuse
 * guessing. Kept in the database, not in memory, so every instance sees the same counts.
 */
@Entity("login_failure")
@Index("IDX_login_failure_username", ["username", "at"])
@Index("IDX_login_failure_address", ["address", "at"])
export class LoginFailure {
  @PrimaryGeneratedColumn({ type: "bigint", primaryKeyConstraintName: "PK_login_failure" })
  id: string;

  @Column({ type: "text" })
  username: string;

  @Column({ type: "text" })
  address: string;

  @Column({ type: "timestamptz", default: () => "now()" })
  at: Date;
}
