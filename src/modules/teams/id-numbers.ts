// A person is on one active roster at a time, but the answer to "is this ID number on another
// team's roster?" must not reach a team leader: with it, one sheet of candidate numbers finds
// out any masked number and whose member it is. So for a team leader a number on another team
// is saved like any other, the member flagged (id_number_conflict_with) for the district to
// resolve (rosterConflicts); those who see every team's personal data get the refusal naming
// the team. Checks of one number are serialized by an advisory lock on it, taken after the
// team row, so two leaders adding the same number at once are one holder and one conflict.
// The roster changes (roster.service.ts) call these inside their transaction.
import type { EntityManager } from "typeorm";
import type { Actor } from "../../core/access/auth";
import { maySeePersonalData } from "../../core/access/personal-data";
import { userError } from "../../core/graphql/errors";
import { message, type Message } from "../../core/i18n/i18n";

/** pg_advisory_xact_lock(ID_NUMBER_LOCK, hashtext(number)): the two-key space, apart from the migration lock's one key. */
const ID_NUMBER_LOCK = 0x69646e72; // "idnr"

/** An active member holding an ID number, as the conflict check reads it. */
export interface IdNumberHolder {
  id: number;
  team_id: number;
  id_number: string;
  team_name: string;
  team_code: string;
  /** The database's now(), the time a conflict found here is recorded at. */
  checked_at: Date;
}

/** The conflict a member is saved with: none, or the other team's member holding the number. */
export interface IdNumberConflict {
  idNumberConflictWith: number | null;
  idNumberConflictSince: Date | null;
}

export const NO_CONFLICT: IdNumberConflict = { idNumberConflictWith: null, idNumberConflictSince: null };

/** Whether the actor may be told which team holds an ID number: those who see every team's personal data. */
function mayLearnHolder(actor: Actor): boolean {
  return maySeePersonalData(actor, null);
}

function holderRefusal(holder: IdNumberHolder): Message {
  return message("teams.onOtherRoster", { teamName: holder.team_name, teamCode: holder.team_code });
}

/**
 * What saving a number does that `holder`, a member of another team, may already have: none,
 * no conflict; one, the refusal naming its team for an actor who may learn that, and for a team
 * leader the conflict to record, the answer otherwise the same as if nobody held it.
 */
export function conflictOnOtherTeam(actor: Actor, holder: IdNumberHolder | undefined): { refusal: Message } | IdNumberConflict {
  if (!holder) return NO_CONFLICT;
  if (mayLearnHolder(actor)) return { refusal: holderRefusal(holder) };
  return { idNumberConflictWith: holder.id, idNumberConflictSince: holder.checked_at };
}

/**
 * Locks `idNumber` (unless the caller holds its lock already) and decides what saving it on
 * team `teamId` does: held on that very team, refused (its leader sees that roster anyway);
 * held elsewhere, see conflictOnOtherTeam. Runs the same statements whatever it finds.
 */
export async function checkIdNumber(manager: EntityManager, actor: Actor, teamId: number, idNumber: string, exceptMemberId: number | null, lock = true): Promise<IdNumberConflict> {
  if (lock) await lockIdNumbers(manager, [idNumber]);
  const holders = await holdersOf(manager, [idNumber], exceptMemberId);
  if (holders.some((holder) => holder.team_id === teamId)) userError("input.idNumber", "DUPLICATE", "teams.aPersonWithThisId");
  const outcome = conflictOnOtherTeam(actor, holders[0]);
  if ("refusal" in outcome) userError("input.idNumber", "DUPLICATE", outcome.refusal.key, outcome.refusal.params);
  return outcome;
}

/** Transaction-scoped locks on ID numbers, taken in key order so two transactions never wait for each other crosswise. */
export async function lockIdNumbers(manager: EntityManager, idNumbers: readonly string[]): Promise<void> {
  await manager.query(
    `SELECT count(pg_advisory_xact_lock(${ID_NUMBER_LOCK}, key))::int AS locked FROM (SELECT DISTINCT hashtext(n) AS key FROM unnest($1::text[]) n ORDER BY key) keys`,
    [[...idNumbers]],
  );
}

/** Active members holding these ID numbers (but `exceptMemberId`), per number the unflagged holder first. */
export function holdersOf(manager: EntityManager, idNumbers: readonly string[], exceptMemberId: number | null): Promise<IdNumberHolder[]> {
  return manager.query(
    `SELECT m.id, m.team_id, m.id_number, t.name AS team_name, t.code AS team_code, now() AS checked_at
     FROM team_member m JOIN rescue_team t ON t.id = m.team_id
     WHERE m.active AND m.id_number = ANY($1::text[]) AND m.id <> $2
     ORDER BY m.id_number, m.id_number_conflict_with IS NOT NULL, m.id`,
    [[...idNumbers], exceptMemberId ?? 0],
  );
}

/**
 * After a member stopped holding `idNumber` (left the roster, or had the number corrected), in
 * the same transaction and under the number's lock: the records still holding it are put right.
 * The unflagged holder stays; without one, the earliest flagged record becomes the holder and
 * its flag clears; the others point at it, keeping the time their conflict was first recorded.
 * One statement whether or not anything changes.
 */
export async function reconcileIdNumber(manager: EntityManager, idNumber: string): Promise<void> {
  await manager.query(
    `WITH holder AS (
       SELECT id FROM team_member WHERE active AND id_number = $1 ORDER BY id_number_conflict_with IS NOT NULL, id LIMIT 1
     )
     UPDATE team_member m
     SET id_number_conflict_with = nullif(holder.id, m.id),
         id_number_conflict_since = CASE WHEN holder.id = m.id THEN NULL ELSE coalesce(m.id_number_conflict_since, now()) END
     FROM holder
     WHERE m.active AND m.id_number = $1 AND m.id_number_conflict_with IS DISTINCT FROM nullif(holder.id, m.id)`,
    [idNumber],
  );
}
