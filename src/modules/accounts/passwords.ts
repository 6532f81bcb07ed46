// Password hashing (bcrypt) and the strength rule for real accounts.
import bcrypt from "bcryptjs";

const COST = 11;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, COST);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

/** Compared against when the username is unknown, so the answer takes as long either way. */
const UNKNOWN_USER_HASH = bcrypt.hashSync("no such account: constant-time decoy", COST);
export function burnPasswordCheck(password: string): Promise<boolean> {
  return bcrypt.compare(password, UNKNOWN_USER_HASH);
}

export const DEMO_PASSWORD = "kaizhou-demo";

const COMMON = ["password", "12345678", "123456789", "qwertyuiop", "kaizhou", "admin123", "iloveyou", "11111111", "88888888"];

/** Returns why a password is too weak, or null. Real accounts need ≥ 12 characters of 3 kinds. */
export function passwordWeakness(password: string, username: string): string | null {
  if (password.length < 12) return "must be at least 12 characters";
  const kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((kind) => kind.test(password)).length;
  if (kinds < 3) return "must mix at least three of: lower-case, upper-case, digits, symbols";
  const lower = password.toLowerCase();
  if (username && lower.includes(username.toLowerCase())) return "must not contain the username";
  if (COMMON.some((word) => lower.includes(word)) || lower.includes(DEMO_PASSWORD)) return "is too common";
  if (/^(.)\1+$/.test(password)) return "must not repeat one character";
  return null;
}
