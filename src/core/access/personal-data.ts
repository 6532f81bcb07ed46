// Personal data (member phones and ID numbers, custodian names and contacts, account names,
// commanders' names, vehicle plates) is stored in full and shown only to those who may see it. Declare it on the field, once:
//
//   @Field(() => String, { nullable: true }) @PersonalData({ mask: maskPhone, teamIdOf: (m) => m.teamId })
//   phone: string | null;
//
// so every path that reaches the field (nested lists, node(id:), connections) masks it.
import { UseMiddleware, type MiddlewareFn } from "type-graphql";
import { Role, type Actor } from "./auth";
import { markActorSpecific } from "../live/subscription-fanout";

/** Roles that see all personal data (FINANCE: it pays owners). TEAM_LEADER sees only their own team's; DASHBOARD never. */
const SEES_ALL: ReadonlySet<Role> = new Set([Role.ADMIN, Role.COMMANDER, Role.LOGISTICS, Role.AUDITOR, Role.FINANCE]);

export function maySeePersonalData(actor: Actor | null, ownerTeamId: number | null | undefined): boolean {
  if (!actor) return false;
  if (SEES_ALL.has(actor.role)) return true;
  return actor.role === Role.TEAM_LEADER && ownerTeamId != null && actor.teamId === ownerTeamId;
}

/** 13812345678 → 138****5678 */
export function maskPhone(value: string): string {
  const digits = value.replace(/\s/g, "");
  return digits.length >= 7 ? `${digits.slice(0, 3)}****${digits.slice(-4)}` : "****";
}

/**
 * 500234199001011234 → 5****************4. Only the first and last characters: with region,
 * sequence and check digit in clear, the birth date alone is missing, a few tens of thousands of
 * guesses that any place answering "is this number known?" would settle.
 */
export function maskIdNumber(value: string): string {
  return value.length >= 10 ? `${value[0]}${"*".repeat(value.length - 2)}${value.at(-1)}` : "****";
}

/** 张伟 → 张*, 欧阳明华 → 欧***; latin names keep the first letter. */
export function maskName(value: string): string {
  const chars = [...value];
  return chars.length <= 1 ? "*" : `${chars[0]}${"*".repeat(chars.length - 1)}`;
}

/**
 * 渝F·12345 → 渝F·***45, 渝FD12345 (new energy) → 渝F·****45: the province and the issuing city's
 * letter say where a vehicle comes from and the last two tell the vehicles at one scene apart,
 * while the plate — and with it the owner, often a private person whose vehicle was
 * requisitioned — stays unknown. Anything shorter than a plate → ****.
 */
export function maskVehiclePlate(value: string): string {
  const chars = [...value.replace(/[\s·•・.\-]/g, "")];
  return chars.length < 7 ? "****" : `${chars[0]}${chars[1]}·${"*".repeat(chars.length - 4)}${chars.slice(-2).join("")}`;
}

export interface PersonalDataOptions<T> {
  /** How to mask for those who may not see it; omit to return null. */
  mask?: (value: string) => string;
  /** The team the data belongs to, so that team's leader may see it. */
  teamIdOf?: (root: T) => number | null | undefined;
  /** Whether the data is the actor's own (their own account), which they may always see. */
  isOwn?: (root: T, actor: Actor) => boolean;
}

export function PersonalData<T = any>(options: PersonalDataOptions<T> = {}) {
  const guard: MiddlewareFn<{ actor: Actor | null }> = async ({ root, context }, next) => {
    const value = await next();
    if (value === null || value === undefined) return value;
    if (maySeePersonalData(context.actor, options.teamIdOf?.(root as T))) return value;
    if (context.actor && options.isOwn) {
      markActorSpecific(context); // this answer is the actor's alone (see subscription-fanout.ts)
      if (options.isOwn(root as T, context.actor)) return value;
    }
    return options.mask ? options.mask(String(value)) : null;
  };
  return UseMiddleware(guard);
}
