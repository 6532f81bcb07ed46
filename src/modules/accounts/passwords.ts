// Rules for passwords: what a new password must be, and what a sign-in may ask to have checked.
// The hashing itself runs in worker threads (password-hashing.ts).
import { message, type Message } from "../../core/i18n/i18n";

/** bcrypt reads a password's first 72 bytes (UTF-8) and ignores the rest. */
export const MAX_PASSWORD_BYTES = 72;

/**
 * The longest password a sign-in has checked. Passwords set before the 72-byte rule may be
 * longer and still verify (on their first 72 bytes), so sign-in allows more than new
 * passwords do; anything longer is refused like a wrong password, without hashing it.
 */
const MAX_SIGN_IN_PASSWORD_BYTES = 1024;

/**
 * Stands in for the stored hash when the username is unknown: a bcrypt hash (cost 11, as new
 * hashes) of random bytes nobody kept. Checking against it keeps an unknown username's failure
 * as slow as a wrong password's. The minimum failure delay (LOGIN_FAILURE_DELAY_MS) would hide
 * the difference only while a check is quicker than the delay, which waiting for a busy
 * hashing thread, or a small delay setting, undoes; so the check stays.
 */
export const UNKNOWN_USER_HASH = "$2b$11$8A/1gF70VgPRWWgB6Os5yuefBsq4rDvOYF5oFkOyery6u0JBk5AZq";

export const DEMO_PASSWORD = "kaizhou-demo";
/** bcrypt (cost 11) of DEMO_PASSWORD, for every demo account: a published password needs no fresh salt. */
export const DEMO_PASSWORD_HASH = "$2b$11$U4F4OGIJ7vIHyX8CSdEZHumuL7nSD55BFDyRj75SywDrHXQQTVU1q";

const COMMON = ["password", "12345678", "123456789", "qwertyuiop", "kaizhou", "admin123", "iloveyou", "11111111", "88888888"];

/** Whether a sign-in's password is refused without checking it: a NUL (bcrypt implementations disagree on it), or absurdly long. */
export function uncheckablePassword(password: string): boolean {
  return password.includes("\0") || Buffer.byteLength(password, "utf8") > MAX_SIGN_IN_PASSWORD_BYTES;
}

/** Why a new password cannot be used, with the rule's code, or null. Real accounts need ≥ 12 characters of 3 kinds. */
export function passwordRefusal(password: string, username: string): { code: string; reason: Message } | null {
  if (Buffer.byteLength(password, "utf8") > MAX_PASSWORD_BYTES) {
    return { code: "TOO_LONG", reason: message("password.tooLong", { max: MAX_PASSWORD_BYTES }) };
  }
  if (password.includes("\0")) return { code: "INVALID_CHARACTER", reason: message("password.nul") };
  const weakness = passwordWeakness(password, username);
  return weakness ? { code: "WEAK_PASSWORD", reason: weakness } : null;
}

function passwordWeakness(password: string, username: string): Message | null {
  if (password.length < 12) return message("password.short");
  const kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((kind) => kind.test(password)).length;
  if (kinds < 3) return message("password.kinds");
  const lower = password.toLowerCase();
  if (username && lower.includes(username.toLowerCase())) return message("password.username");
  if (COMMON.some((word) => lower.includes(word)) || lower.includes(DEMO_PASSWORD)) return message("password.common");
  if (/^(.)\1+$/.test(password)) return message("password.repeated");
  return null;
}
