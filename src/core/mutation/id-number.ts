// Resident ID numbers (居民身份证号, GB 11643-1999): the one check every service that takes one
// applies (a team member's, a household head's at a distribution, a roster sheet's cells). The
// input rule (core/graphql/input-rules.ts) holds the shape (17 digits and a digit or X); the
// check digit is checked here, by the service, so its problem comes back together with the
// service's other checks of the same input.

/** GB 11643-1999 check digit of an 18-character resident ID number. */
export function idNumberCheckDigit(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((total, digit, i) => total + Number(digit) * weights[i], 0);
  return "10X98765432"[sum % 11];
}

/** Whether `value` (as kept: trimmed, upper-case X) is 17 digits and their check digit. */
export function isValidIdNumber(value: string): boolean {
  return /^\d{17}[\dX]$/.test(value) && idNumberCheckDigit(value.slice(0, 17)) === value[17];
}

/** An ID number as it is kept (trimmed, upper-case X); null when none is given. */
export function idNumberOf(value: string | null | undefined): string | null {
  return value?.trim().toUpperCase() || null;
}
