// The life cycle of a dispatch order, in one table. Every mutation asks `transitionFor` before it
// changes anything; the resolvers' @Authorized roles are derived from the same table
// (`rolesFor`), so a role can never be allowed in the schema but not in the rules, or the reverse.
//
//   DRAFT ─submit→ SUBMITTED ─approve→ APPROVED ─dispatch→ DISPATCHED ─confirm→ DELIVERED ─close→ CLOSED
//     └──────────────┴─ dispatch (URGENT only: verbal order 口头指令, approval pending) ─┘
//   cancel: from DRAFT, SUBMITTED, APPROVED or DISPATCHED (never once delivered).
import { Role, type Actor } from "../../core/access/auth";
import { forbidden, userError } from "../../core/graphql/errors";
import { DispatchPriority, DispatchStatus } from "./dispatch.enums";
import { message, type Message, type MessageKey } from "../../core/i18n/i18n";

export enum DispatchAction {
  UPDATE = "update",
  SUBMIT = "submit",
  APPROVE = "approve",
  DISPATCH = "dispatch",
  CONFIRM_DELIVERY = "confirm delivery of",
  RECORD_RETURN = "record a return on",
  CLOSE = "close",
  CANCEL = "cancel",
}

/** What the rules look at. */
export interface OrderState {
  status: DispatchStatus;
  priority: DispatchPriority;
  pendingApproval: boolean;
}

export interface Transition {
  from: DispatchStatus;
  to: DispatchStatus;
  /** Who may take it (ADMIN always may). */
  roles: readonly Role[];
  /** Why the transition is not open to this order, or null when it is. */
  blockedBecause?: (order: OrderState) => Message | null;
  /** A dispatch before approval: stock is issued straight from what is available. */
  beforeApproval?: boolean;
}

const { LOGISTICS, COMMANDER } = Role;
const S = DispatchStatus;

const urgentOnly = (order: OrderState) =>
  order.priority === DispatchPriority.URGENT ? null : message("dispatch.blocked.urgentOnly", { priority: order.priority });
const awaitingVerbalApproval = (order: OrderState) => (order.pendingApproval ? null : message("dispatch.blocked.alreadyApproved"));
const approved = (order: OrderState) => (order.pendingApproval ? message("dispatch.blocked.awaitsApproval") : null);

/** The action's words, for messages ("cannot {{action}} an order that is …"). */
const ACTION_WORDS: Readonly<Record<DispatchAction, MessageKey>> = {
  [DispatchAction.UPDATE]: "dispatch.action.update",
  [DispatchAction.SUBMIT]: "dispatch.action.submit",
  [DispatchAction.APPROVE]: "dispatch.action.approve",
  [DispatchAction.DISPATCH]: "dispatch.action.dispatch",
  [DispatchAction.CONFIRM_DELIVERY]: "dispatch.action.confirmDelivery",
  [DispatchAction.RECORD_RETURN]: "dispatch.action.recordReturn",
  [DispatchAction.CLOSE]: "dispatch.action.close",
  [DispatchAction.CANCEL]: "dispatch.action.cancel",
};

export const DISPATCH_TRANSITIONS: Readonly<Record<DispatchAction, readonly Transition[]>> = {
  [DispatchAction.UPDATE]: [{ from: S.DRAFT, to: S.DRAFT, roles: [LOGISTICS] }],
  [DispatchAction.SUBMIT]: [{ from: S.DRAFT, to: S.SUBMITTED, roles: [LOGISTICS] }],
  [DispatchAction.APPROVE]: [
    { from: S.SUBMITTED, to: S.APPROVED, roles: [COMMANDER] },
    // A verbal order is approved after the fact; the stock has already gone.
    { from: S.DISPATCHED, to: S.DISPATCHED, roles: [COMMANDER], blockedBecause: awaitingVerbalApproval },
    { from: S.DELIVERED, to: S.DELIVERED, roles: [COMMANDER], blockedBecause: awaitingVerbalApproval },
  ],
  [DispatchAction.DISPATCH]: [
    { from: S.APPROVED, to: S.DISPATCHED, roles: [LOGISTICS] },
    { from: S.DRAFT, to: S.DISPATCHED, roles: [LOGISTICS], blockedBecause: urgentOnly, beforeApproval: true },
    { from: S.SUBMITTED, to: S.DISPATCHED, roles: [LOGISTICS], blockedBecause: urgentOnly, beforeApproval: true },
  ],
  [DispatchAction.CONFIRM_DELIVERY]: [
    { from: S.DISPATCHED, to: S.DELIVERED, roles: [LOGISTICS] },
    // Later trucks of a partly delivered order.
    { from: S.DELIVERED, to: S.DELIVERED, roles: [LOGISTICS] },
  ],
  [DispatchAction.RECORD_RETURN]: [
    // Goods turned back before arrival (so a dispatched order can be cancelled) …
    { from: S.DISPATCHED, to: S.DISPATCHED, roles: [LOGISTICS] },
    // … and reusable items back after use.
    { from: S.DELIVERED, to: S.DELIVERED, roles: [LOGISTICS] },
  ],
  [DispatchAction.CLOSE]: [{ from: S.DELIVERED, to: S.CLOSED, roles: [LOGISTICS], blockedBecause: approved }],
  [DispatchAction.CANCEL]: [
    { from: S.DRAFT, to: S.CANCELLED, roles: [LOGISTICS, COMMANDER] },
    { from: S.SUBMITTED, to: S.CANCELLED, roles: [LOGISTICS, COMMANDER] },
    // Undoing a commander's approval (or refusing a verbal order) is a commander's call.
    { from: S.APPROVED, to: S.CANCELLED, roles: [COMMANDER] },
    { from: S.DISPATCHED, to: S.CANCELLED, roles: [COMMANDER] },
  ],
};

/** Who may create an order (a DRAFT, so no transition; listed here to keep every rule in one place). */
export const CREATE_ROLES: readonly Role[] = [LOGISTICS];

/** Every role that may take the action from some state: what the resolver's @Authorized lists. */
export function rolesFor(action: DispatchAction): Role[] {
  return [...new Set(DISPATCH_TRANSITIONS[action].flatMap((transition) => transition.roles))];
}

/**
 * The transition `action` takes for this order and actor. An action not open from the order's
 * state (or blocked by a condition) is a UserError INVALID_STATE naming the current state; an
 * action open from this state but not to the actor's role is FORBIDDEN.
 */
export function transitionFor(action: DispatchAction, order: OrderState, actor: Actor, field = "input.id"): Transition {
  const all = DISPATCH_TRANSITIONS[action];
  const fromHere = all.filter((transition) => transition.from === order.status);
  if (fromHere.length === 0) {
    const from = [...new Set(all.map((transition) => transition.from))].join(" or ");
    userError(field, "INVALID_STATE", "dispatch.cannotAnOrderThatIs", { action: message(ACTION_WORDS[action]), status: order.status, from });
  }
  const open = fromHere.filter((transition) => !transition.blockedBecause?.(order));
  if (open.length === 0) userError(field, "INVALID_STATE", "dispatch.cannotThisOrderItIs", { action: message(ACTION_WORDS[action]), status: order.status, blockedBecause: fromHere[0].blockedBecause!(order) });
  const permitted = open.find((transition) => actor.role === Role.ADMIN || transition.roles.includes(actor.role));
  if (!permitted) {
    throw forbidden("dispatch.roleMayNotAnOrder", { role: actor.role, action: message(ACTION_WORDS[action]), status: order.status, value: [Role.ADMIN, ...open[0].roles].join(", ") });
  }
  return permitted;
}
