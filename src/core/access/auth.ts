// Who is asking, and the one place that decides what their role may do.
// Resolvers declare roles with type-graphql's @Authorized(...); this checker enforces them.
import { registerEnumType, type AuthChecker } from "type-graphql";
import { forbidden, unauthenticated } from "../graphql/errors";

export enum Role {
  ADMIN = "ADMIN",
  COMMANDER = "COMMANDER",
  LOGISTICS = "LOGISTICS",
  TEAM_LEADER = "TEAM_LEADER",
  DASHBOARD = "DASHBOARD",
  AUDITOR = "AUDITOR",
  FINANCE = "FINANCE",
}
registerEnumType(Role, {
  name: "Role",
  description: "角色。What an account or API key may do.",
  valuesConfig: {
    ADMIN: { description: "管理员。Everything, including accounts and API keys." },
    COMMANDER: { description: "指挥长 Read all; incidents; approve and cancel dispatch orders; deploy and release teams." },
    LOGISTICS: { description: "物资保障 Read all; stock operations and dispatch orders, district-wide or within one township." },
    TEAM_LEADER: { description: "队长 Read all but other teams' personal data; readiness and roster of their own team." },
    DASHBOARD: { description: "大屏 Read-only, never personal data (third-party dashboards)." },
    AUDITOR: { description: "审计 Read everything including the audit log; change nothing." },
    FINANCE: { description: "财务 Read all; approve and pay requisition settlements (separation of duties: never the commander who requisitioned)." },
  },
});

export interface Actor {
  kind: "ACCOUNT" | "API_KEY";
  id: number;
  name: string;
  role: Role;
  /** LOGISTICS scoped to one township-level region (属地管理); null = district-wide. */
  scopeRegionId: number | null;
  /** The scope region's name (汉丰街道), for the messages that refuse what lies outside it. */
  scopeRegionName?: string | null;
  /** TEAM_LEADER: the team they lead. */
  teamId: number | null;
}

export interface AuthContext {
  actor: Actor | null;
}

/**
 * `@Authorized()` = any signed-in actor; `@Authorized(Role.X, …)` = those roles.
 * ADMIN passes every role check. Failing throws the coded error instead of returning false,
 * so clients see UNAUTHENTICATED vs FORBIDDEN.
 */
export const authChecker: AuthChecker<AuthContext, Role> = ({ context }, roles) => {
  assertRole(context.actor, roles);
  return true;
};

/** The role rule itself, for checks made outside a resolver's decorators (node(id:)). */
export function assertRole(actor: Actor | null, roles: readonly Role[]): asserts actor is Actor {
  if (!actor) throw unauthenticated();
  if (roles.length === 0 || actor.role === Role.ADMIN || roles.includes(actor.role)) return;
  throw forbidden("auth.roleNotAllowed", { role: actor.role, allowed: [Role.ADMIN, ...roles].join(", ") });
}

/**
 * Who did it, as rows that keep their author record it (an order's approver, a ledger entry's
 * operator): an account by id and name, an API key by name. Stored text, so it is not translated.
 */
export function recordedBy(actor: Actor): { id: number | null; name: string } {
  return actor.kind === "ACCOUNT" ? { id: actor.id, name: actor.name } : { id: null, name: `API key ${actor.name}` };
}
