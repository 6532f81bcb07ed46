import { Arg, Args, Authorized, Ctx, Query, Resolver } from "type-graphql";
import type { AppContext } from "../../context";
import { Role } from "../../core/access/auth";
import { PageArgs, type Connection, type OrderTerm } from "../../core/graphql/relay";
import { AuditEntry } from "./audit.entity";
import { AuditLogWhere } from "./audit.inputs";
import { AuditEntryConnection } from "./audit.service";
import { AUDIT_ENTRY_ORDER, type AuditEntryOrderField } from "./audit.orders";

@Resolver(() => AuditEntry)
export class AuditResolver {
  @Authorized(Role.AUDITOR)
  @Query(() => AuditEntryConnection, { description: "审计日志。Every attempted mutation, newest first (ADMIN, AUDITOR)." })
  auditLog(
    @Ctx() ctx: AppContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("orderBy", () => [AUDIT_ENTRY_ORDER.Input], { nullable: true, description: AUDIT_ENTRY_ORDER.argument }) orderBy?: OrderTerm<AuditEntryOrderField>[] | null,
    @Arg("where", () => AuditLogWhere, { nullable: true, description: "筛选条件。Conditions the entries must meet." }) where?: AuditLogWhere,
  ): Promise<Connection<AuditEntry>> {
    return ctx.services.audit.list(where, page, orderBy);
  }
}
