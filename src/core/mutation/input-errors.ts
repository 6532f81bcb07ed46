// The one way a mutation reports what is wrong with its input: problems are collected and
// returned together (a form can mark every bad field at once), and nothing is written. A rule
// that can only be checked under a lock or after a lookup throws its one error (userError).
import { UserError, UserErrorsException } from "../graphql/errors";
import type { MessageKey, MessageParams } from "../i18n/i18n";
import { localToday } from "../db/local-date";
import { idNumberOf, isValidIdNumber } from "./id-number";

/** Upper bound for one quantity in one operation: far above any real movement, far below int overflow. */
export const MAX_QUANTITY = 10_000_000;
/** on_hand is a PostgreSQL integer. */
export const MAX_ON_HAND = 2_147_483_647;

export class InputErrors {
  readonly errors: UserError[] = [];

  /** A problem: its field, its code, and which message says it (core/i18n), with its values. */
  add(field: string | null, code: string, key: MessageKey, params?: MessageParams): void {
    this.errors.push(new UserError(field, code, key, params));
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
    if (!trimmed) this.add(field, "REQUIRED", "input.required", { field });
    else if ([...trimmed].length > maxLength) this.add(field, "OUT_OF_RANGE", "input.tooLong", { field, max: maxLength });
    return trimmed;
  }

  /** Optional text: null/undefined = not given; "" = clear (null). */
  optionalText(value: string | null | undefined, field: string, maxLength = 200): string | null | undefined {
    if (value === undefined || value === null) return value;
    const trimmed = value.trim();
    if ([...trimmed].length > maxLength) this.add(field, "OUT_OF_RANGE", "input.tooLong", { field, max: maxLength });
    return trimmed === "" ? null : trimmed;
  }

  quantity(value: number | null | undefined, field: string): number {
    if (value === null || value === undefined || !Number.isInteger(value) || value <= 0 || value > MAX_QUANTITY) {
      this.add(field, "OUT_OF_RANGE", "input.quantity", { max: MAX_QUANTITY, value: String(value) });
    }
    return value ?? 0;
  }

  wholeNumber(value: number | null | undefined, field: string, min: number, max: number): number {
    if (value === null || value === undefined || !Number.isInteger(value) || value < min || value > max) {
      this.add(field, "OUT_OF_RANGE", "input.wholeNumber", { field, min, max, value: String(value) });
    }
    return value ?? 0;
  }

  point(latitude: number | null | undefined, longitude: number | null | undefined, field: string): void {
    if (latitude !== null && latitude !== undefined && !(latitude >= -90 && latitude <= 90)) this.add(`${field}.latitude`, "OUT_OF_RANGE", "input.latitude");
    if (longitude !== null && longitude !== undefined && !(longitude >= -180 && longitude <= 180)) this.add(`${field}.longitude`, "OUT_OF_RANGE", "input.longitude");
  }

  phone(value: string | null | undefined, field: string): string | null | undefined {
    const cleaned = this.optionalText(value, field, 30);
    if (cleaned && !/^\+?[0-9][0-9 -]{5,24}$/.test(cleaned)) this.add(field, "INVALID_FORMAT", "input.phone", { field });
    return cleaned;
  }

  /** A resident ID number, if given: kept trimmed with an upper-case X, its check digit right (core/mutation/id-number.ts). */
  idNumber(value: string | null | undefined, field: string): string | null {
    const kept = idNumberOf(value);
    if (kept && !isValidIdNumber(kept)) this.add(field, "INVALID_FORMAT", "input.idNumber", { field });
    return kept;
  }

  /** Batch dates: production not in the future, expiry not before production, expiry present when required and not past. */
  batchDates(productionDate: string | null | undefined, expiryDate: string | null | undefined, tracksExpiry: boolean, fieldPrefix: string): void {
    const today = localToday();
    if (productionDate && productionDate > today) this.add(`${fieldPrefix}productionDate`, "OUT_OF_RANGE", "input.productionInFuture", { date: productionDate });
    if (tracksExpiry && !expiryDate) this.add(`${fieldPrefix}expiryDate`, "REQUIRED", "input.expiryRequired");
    if (expiryDate && expiryDate < today) this.add(`${fieldPrefix}expiryDate`, "EXPIRED", "input.expired", { date: expiryDate });
    if (expiryDate && productionDate && expiryDate < productionDate) this.add(`${fieldPrefix}expiryDate`, "OUT_OF_RANGE", "input.expiryBeforeProduction");
  }
}

/** Throws one UserError at once (rule broken under lock or after a lookup). */
export { userError } from "../graphql/errors";
