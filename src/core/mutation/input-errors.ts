// The one way a mutation reports what is wrong with its input: problems are collected and
// returned together (a form can mark every bad field at once), and nothing is written. A rule
// that can only be checked under a lock or after a lookup throws its one error (userError).
import { UserError, UserErrorsException } from "../graphql/errors";
import { localToday } from "../db/local-date";

/** Upper bound for one quantity in one operation: far above any real movement, far below int overflow. */
export const MAX_QUANTITY = 10_000_000;
/** on_hand is a PostgreSQL integer. */
export const MAX_ON_HAND = 2_147_483_647;

export class InputErrors {
  readonly errors: UserError[] = [];

  add(field: string | null, code: string, message: string): void {
    this.errors.push(new UserError(field, code, message));
  }

  /** Problems found elsewhere (another collector, a building block's UserErrorsException), kept with these. */
  addAll(errors: readonly UserError[]): void {
    this.errors.push(...errors);
  }

  throwIfAny(): void {
    if (this.errors.length) throw new UserErrorsException(this.errors);
  }

  /** Trimmed text, required and at most maxLength characters; undefined when invalid. */
  text(value: string | null | undefined, field: string, maxLength = 200): string {
    const trimmed = (value ?? "").trim();
    if (!trimmed) this.add(field, "REQUIRED", `${field} must not be empty`);
    else if ([...trimmed].length > maxLength) this.add(field, "OUT_OF_RANGE", `${field} must be at most ${maxLength} characters`);
    return trimmed;
  }

  /** Optional text: null/undefined = not given; "" = clear (null). */
  optionalText(value: string | null | undefined, field: string, maxLength = 200): string | null | undefined {
    if (value === undefined || value === null) return value;
    const trimmed = value.trim();
    if ([...trimmed].length > maxLength) this.add(field, "OUT_OF_RANGE", `${field} must be at most ${maxLength} characters`);
    return trimmed === "" ? null : trimmed;
  }

  quantity(value: number | null | undefined, field: string): number {
    if (value === null || value === undefined || !Number.isInteger(value) || value <= 0 || value > MAX_QUANTITY) {
      this.add(field, "OUT_OF_RANGE", `quantity must be a positive whole number up to ${MAX_QUANTITY}, got ${value}`);
    }
    return value ?? 0;
  }

  wholeNumber(value: number | null | undefined, field: string, min: number, max: number): number {
    if (value === null || value === undefined || !Number.isInteger(value) || value < min || value > max) {
      this.add(field, "OUT_OF_RANGE", `${field} must be a whole number from ${min} to ${max}, got ${value}`);
    }
    return value ?? 0;
  }

  point(latitude: number | null | undefined, longitude: number | null | undefined, field: string): void {
    if (latitude !== null && latitude !== undefined && !(latitude >= -90 && latitude <= 90)) this.add(`${field}.latitude`, "OUT_OF_RANGE", "latitude must be between -90 and 90");
    if (longitude !== null && longitude !== undefined && !(longitude >= -180 && longitude <= 180)) this.add(`${field}.longitude`, "OUT_OF_RANGE", "longitude must be between -180 and 180");
  }

  phone(value: string | null | undefined, field: string): string | null | undefined {
    const cleaned = this.optionalText(value, field, 30);
    if (cleaned && !/^\+?[0-9][0-9 -]{5,24}$/.test(cleaned)) this.add(field, "INVALID_FORMAT", `${field} must be a phone number (digits, spaces, dashes, optional +)`);
    return cleaned;
  }

  /** Batch dates: production not in the future, expiry not before production, expiry present when required and not past. */
  batchDates(productionDate: string | null | undefined, expiryDate: string | null | undefined, tracksExpiry: boolean, fieldPrefix: string): void {
    const today = localToday();
    if (productionDate && productionDate > today) this.add(`${fieldPrefix}productionDate`, "OUT_OF_RANGE", `production date ${productionDate} is in the future`);
    if (tracksExpiry && !expiryDate) this.add(`${fieldPrefix}expiryDate`, "REQUIRED", "this item tracks expiry: give the batch's expiry date");
    if (expiryDate && expiryDate < today) this.add(`${fieldPrefix}expiryDate`, "EXPIRED", `the batch expired on ${expiryDate}; expired stock cannot be received as new`);
    if (expiryDate && productionDate && expiryDate < productionDate) this.add(`${fieldPrefix}expiryDate`, "OUT_OF_RANGE", "expiry date is before the production date");
  }
}

/** Throws one UserError at once (rule broken under lock or after a lookup). */
export { userError } from "../graphql/errors";
