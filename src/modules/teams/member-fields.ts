// What a member's details must be (names, mobile phones, resident ID numbers, skills,
// certificates), for the roster changes and the roster sheet import alike. Problems go into the
// caller's InputErrors, so a form or a sheet shows every one of them at once.
import type { InputErrors } from "../../core/mutation/input-errors";
import type { CertificateInput } from "./team.inputs";

const NAME_MAX = 50;
const SKILL_MAX = 30;
const SKILLS_MAX = 20;
const CERTIFICATES_MAX = 20;
const CERTIFICATE_TEXT_MAX = 100;
/** A count of a team's members in an input: far above any roster (what is sent is then held to the team's active members, under lock). */
export const TEAM_MEMBERS_MAX = 10_000;

// The ID number's check lives with the other input checks (core/mutation/id-number.ts): one rule for every ID number taken.
export { idNumberCheckDigit, idNumberOf } from "../../core/mutation/id-number";

/** Mainland mobile numbers: 11 digits starting 13–19. */
function isValidPhone(value: string): boolean {
  return /^1[3-9]\d{9}$/.test(value);
}

export interface PersonFields {
  name?: string | null;
  phone?: string | null;
  idNumber?: string | null;
  skills?: string[] | null;
}

/** Where a problem with one of a person's fields is reported; `index` is one skill's place in the list. */
export type PersonFieldName = (name: keyof PersonFields, index?: number) => string;

const inputField: PersonFieldName = (name, index) => (index === undefined ? `input.${name}` : `input.${name}[${index}]`);

/**
 * A person's free-form fields: the name (when given, or whenever `nameRequired`), a mobile
 * phone, an ID number with its check digit, the skills. `field` names where each problem is
 * reported: the API input's fields unless a sheet names its cells.
 */
export function checkPersonFields(check: InputErrors, input: PersonFields, nameRequired: boolean, field: PersonFieldName = inputField): void {
  if (input.name != null || nameRequired) check.text(input.name, field("name"), NAME_MAX);
  if (input.phone && !isValidPhone(input.phone.trim())) check.add(field("phone"), "INVALID_FORMAT", "teams.mustBeAnDigitMobile", { field: field("phone") });
  if (input.idNumber) check.idNumber(input.idNumber, field("idNumber"));
  if (input.skills) {
    if (input.skills.length > SKILLS_MAX) check.add(field("skills"), "OUT_OF_RANGE", "teams.atMostSkills", { skillsMax: SKILLS_MAX });
    input.skills.forEach((skill, i) => check.text(skill, field("skills", i), SKILL_MAX));
  }
}

/** The certificates a member holds, given under `field` (e.g. input.certificates). */
export function checkCertificates(check: InputErrors, certificates: readonly CertificateInput[] | null | undefined, field: string): void {
  if (!certificates) return;
  if (certificates.length > CERTIFICATES_MAX) check.add(field, "OUT_OF_RANGE", "teams.atMostCertificates", { certificatesMax: CERTIFICATES_MAX });
  certificates.forEach((certificate, i) => {
    const prefix = `${field}[${i}]`;
    check.text(certificate.name, `${prefix}.name`, CERTIFICATE_TEXT_MAX);
    check.optionalText(certificate.number, `${prefix}.number`, CERTIFICATE_TEXT_MAX);
    check.optionalText(certificate.issuer, `${prefix}.issuer`, CERTIFICATE_TEXT_MAX);
    if (certificate.issuedOn && certificate.expiresOn && certificate.expiresOn < certificate.issuedOn) {
      check.add(`${prefix}.expiresOn`, "OUT_OF_RANGE", "teams.aCertificateCannotExpireBefore");
    }
  });
}

export function cleanSkills(skills: string[]): string[] {
  return [...new Set(skills.map((skill) => skill.trim()))];
}
