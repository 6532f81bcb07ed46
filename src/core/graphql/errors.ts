// Two kinds of failure, as ARCHITECTURE.md sets out:
// - UserError: something the user can fix (not enough stock, wrong state, a bad value).
//   Returned inside the mutation payload as `errors`, with the field and a stable code.
// - Top-level GraphQL errors with extensions.code: UNAUTHENTICATED, FORBIDDEN,
//   BAD_USER_INPUT, INTERNAL_SERVER_ERROR. Internal details never reach the client.
import { GraphQLError } from "graphql";
import { Field, ObjectType } from "type-graphql";

@ObjectType({ description: "输入问题。A problem with the input that the user can fix; nothing was written when a payload carries one." })
export class UserError {
  @Field(() => String, { nullable: true, description: "字段路径。Path of the input field at fault, e.g. `input.quantity`; null when the problem is not one field's." })
  field: string | null;

  @Field(() => String, { description: "错误代码。Stable machine-readable code, e.g. NOT_FOUND, INSUFFICIENT_STOCK, INVALID_STATE, OUT_OF_RANGE." })
  code: string;

  @Field(() => String, { description: "说明。Human-readable explanation naming the rule that was broken." })
  message: string;

  constructor(field: string | null, code: string, message: string) {
    this.field = field;
    this.code = code;
    this.message = message;
  }
}

/**
 * Thrown inside a service transaction to abort it and return UserErrors in the payload.
 * The transaction is rolled back, so nothing is half-written.
 */
export class UserErrorsException extends Error {
  constructor(readonly errors: UserError[]) {
    super(errors.map((e) => e.message).join("; "));
    this.name = "UserErrorsException";
  }
}

export function userError(field: string | null, code: string, message: string): never {
  throw new UserErrorsException([new UserError(field, code, message)]);
}

export function badUserInput(field: string, message: string): GraphQLError {
  return new GraphQLError(`${field}: ${message}`, { extensions: { code: "BAD_USER_INPUT", field } });
}

export function forbidden(message = "Your role or scope does not allow this."): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "FORBIDDEN" } });
}

export function unauthenticated(message = "Sign in first: send Authorization: Bearer <token or API key>."): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "UNAUTHENTICATED", http: { status: 401 } } });
}

/**
 * Runs a mutation's service call and shapes its payload: the result fields and `errors: []`,
 * or, when the service threw UserErrorsException (its transaction rolled back), the result
 * fields absent and the errors listed. Anything else stays a top-level error.
 */
export async function mutationPayload<T extends object>(work: () => Promise<T>): Promise<Partial<T> & { errors: UserError[] }> {
  try {
    return { ...(await work()), errors: [] };
  } catch (error) {
    if (error instanceof UserErrorsException) return { errors: error.errors } as Partial<T> & { errors: UserError[] };
    throw error;
  }
}

/**
 * PostgreSQL data exceptions a value from a request causes (SQLSTATE class 22), by what they
 * say of the value. The input rules (core/graphql/input-check.ts) keep such values from the database;
 * should one get through all the same, it is the request's fault, not the service's.
 */
const DATA_EXCEPTIONS: Record<string, string> = {
  "22021": "it holds a character the database cannot store (such as NUL)",
  "22P05": "it holds a character the database cannot store",
  "22003": "a number is out of range",
  "22008": "a date or time is out of range",
  "22007": "a date or time is malformed",
  "22P02": "a value is malformed",
  "22001": "a text is too long",
};

/** What a database data exception caused by input says of the value; null for any other error. */
export function inputDataException(error: unknown): string | null {
  for (let cause = error, depth = 0; cause && typeof cause === "object" && depth < 4; depth++) {
    const { code, driverError, originalError } = cause as { code?: unknown; driverError?: unknown; originalError?: unknown };
    if (typeof code === "string" && code in DATA_EXCEPTIONS) return DATA_EXCEPTIONS[code];
    cause = driverError ?? originalError;
  }
  return null;
}
