// The life cycle of a supply request (需求申报 → 审核 → 调拨), in one table. Every mutation asks
// `transitionFor` before it changes anything; the resolvers' @Authorized roles are derived from
// the same table (`rolesFor`). Besides the role, each transition says whether a township-scoped
// account may take it (for a request whose destination lies in its township) or whether it is
// the district's decision (district-wide accounts only).
//
//   submit → SUBMITTED ─approve→ APPROVED ─order→ FULFILLING ─(last unit delivered)→ FULFILLED
//                └─reject→ REJECTED     └──────────┴─close→ CLOSED (the rest will not be sent)
//   cancel: from SUBMITTED (the township may withdraw its own ask), or APPROVED before any order.
//
// APPROVED ⇄ FULFILLING → FULFILLED are not taken by anyone: they follow the dispatch orders made
// from the request (ORDER_DRIVEN below, applied in request-fulfilment.ts on every order change).
import { Role, type Actor } from "../../core/access/auth";
import { forbidden, userError } from "../../core/graphql/errors";
import { assertInScope } from "../../core/access/scope";
import { SupplyRequestStatus } from "./supply-request.enums";
import { message, type MessageKey } from "../../core/i18n/i18n";

export enum RequestAction {
  APPROVE = "approve",
  REJECT = "reject",
  FULFIL = "make a dispatch order for",
  CANCEL = "cancel",
  CLOSE = "close",
}

export interface RequestTransition {
  from: SupplyRequestStatus;
  to: SupplyRequestStatus;
  /** Who may take it (ADMIN always may). */
  roles: readonly Role[];
  /** A township-scoped account may take it for a request whose destination lies in its township; otherwise it is for district-wide accounts only. */
  township: boolean;
}

const { LOGISTICS, COMMANDER } = Role;
const S = SupplyRequestStatus;

/** The action's words, for messages ("cannot {{action}} request …"). */
const ACTION_WORDS: Readonly<Record<RequestAction, MessageKey>> = {
  [RequestAction.APPROVE]: "requests.action.approve",
  [RequestAction.REJECT]: "requests.action.reject",
  [RequestAction.FULFIL]: "requests.action.fulfil",
  [RequestAction.CANCEL]: "requests.action.cancel",
  [RequestAction.CLOSE]: "requests.action.close",
};

export const REQUEST_TRANSITIONS: Readonly<Record<RequestAction, readonly RequestTransition[]>> = {
  // Answering a request is the district's call (统一调拨): its logistics desk or a commander.
  [RequestAction.APPROVE]: [{ from: S.SUBMITTED, to: S.APPROVED, roles: [LOGISTICS, COMMANDER], township: false }],
  [RequestAction.REJECT]: [{ from: S.SUBMITTED, to: S.REJECTED, roles: [LOGISTICS, COMMANDER], township: false }],
  // Orders are made by logistics; a township account only from its own township's sites, as for
  // any order (assertScope, dispatch-transaction.ts), so the district depot's stock stays the district's.
  [RequestAction.FULFIL]: [
    { from: S.APPROVED, to: S.FULFILLING, roles: [LOGISTICS], township: true },
    { from: S.FULFILLING, to: S.FULFILLING, roles: [LOGISTICS], township: true },
  ],
  [RequestAction.CANCEL]: [
    { from: S.SUBMITTED, to: S.CANCELLED, roles: [LOGISTICS], township: true },
    // Once approved, withdrawing is the district's decision too; with an order made, close it instead.
    { from: S.APPROVED, to: S.CANCELLED, roles: [LOGISTICS, COMMANDER], township: false },
  ],
  [RequestAction.CLOSE]: [
    { from: S.APPROVED, to: S.CLOSED, roles: [LOGISTICS], township: false },
    { from: S.FULFILLING, to: S.CLOSED, roles: [LOGISTICS], township: false },
  ],
};

/**
 * Who may submit a request (it starts SUBMITTED, so no transition; listed here to keep every rule
 * in one place): logistics, a township-scoped account for destinations in its township.
 */
export const SUBMIT_ROLES: readonly Role[] = [LOGISTICS];

/**
 * The statuses the dispatch orders made from a request move it between: from any of `from`, it
 * becomes `allDelivered` once every approved unit is delivered, else `ordered` while an order
 * made from it is not cancelled, else `notOrdered` (its only orders were cancelled).
 */
export const ORDER_DRIVEN = {
  from: [S.APPROVED, S.FULFILLING] as readonly SupplyRequestStatus[],
  allDelivered: S.FULFILLED,
  ordered: S.FULFILLING,
  notOrdered: S.APPROVED,
};

/** Every role that may take the action from some state: what the resolver's @Authorized lists. */
export function rolesFor(action: RequestAction): Role[] {
  return [...new Set(REQUEST_TRANSITIONS[action].flatMap((transition) => transition.roles))];
}

/** The scope half of the submit rule (the resolver checks SUBMIT_ROLES): FORBIDDEN for a destination outside a township account's township. */
export function assertMaySubmit(actor: Actor, destinationPath: string): void {
  if (actor.scopeRegionId !== null) assertInScope(actor, destinationPath, message("scope.what.requestDestination"));
}

/**
 * The transition `action` takes for this request and actor. An action not open from the
 * request's state is a UserError INVALID_STATE naming the current state; open but not to the
 * actor's role, or a district decision asked by a township-scoped account, or a request outside
 * its township, is FORBIDDEN.
 */
export function transitionFor(action: RequestAction, request: { status: SupplyRequestStatus; code: string }, actor: Actor, destinationPath: string, field = "input.id"): RequestTransition {
  const all = REQUEST_TRANSITIONS[action];
  const transition = all.find((t) => t.from === request.status);
  if (!transition) {
    const from = [...new Set(all.map((t) => t.from))].join(" or ");
    userError(field, "INVALID_STATE", "requests.cannotRequestItIsOnly", { action: message(ACTION_WORDS[action]), code: request.code, status: request.status, from });
  }
  if (actor.role !== Role.ADMIN && !transition.roles.includes(actor.role)) {
    throw forbidden("requests.roleMayNotARequest", { role: actor.role, action: message(ACTION_WORDS[action]), status: request.status, value: [Role.ADMIN, ...transition.roles].join(", ") });
  }
  if (actor.scopeRegionId !== null) {
    if (!transition.township) throw forbidden("requests.toARequestThatIs", { action: message(ACTION_WORDS[action]), status: request.status });
    assertInScope(actor, destinationPath, message("scope.what.requestCodeDestination", { code: request.code }));
  }
  return transition;
}
