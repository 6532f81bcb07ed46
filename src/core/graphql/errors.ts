// Two kinds of failure, as ARCHITECTURE.md sets out:
// - UserError: something the user can fix (not enough stock, wrong state, a bad value).
//   Returned inside the mutation payload as `errors`, with the field and a stable code.
// - Top-level GraphQL errors with extensions.code: UNAUTHENTICATED, FORBIDDEN,
//   BAD_USER_INPUT, INTERNAL_SERVER_ERROR. Internal details never reach the client.
//
// Neither kind carries words: each names its message in the catalogue (core/i18n), with the
// values it mentions, and is rendered in the reader's language where it is answered — a
// UserError's `message` by its field resolver (UserErrorResolver), a top-level error by the
// front door's masking (core/http/front-door.ts maskError). The Error.message of both is the
// English rendering, for the server's own log.
import { GraphQLError, type GraphQLErrorOptions } from "graphql";
import { Ctx, Field, FieldResolver, ObjectType, Resolver, Root } from "type-graphql";
import { FALLBACK_LOCALE, message, render, type Locale, type Message, type MessageKey, type MessageParams } from "../i18n/i18n";

@ObjectType({ description: "输入问题。A problem with the input that the user can fix; nothing was written when a payload carries one." })
export class UserError {
  @Field(() => String, { nullable: true, description: "字段路径。Path of the input field at fault, e.g. `input.quantity`; null when the problem is not one field's." })
  field: string | null;

  @Field(() => String, { description: "错误代码。Stable machine-readable code, e.g. NOT_FOUND, INSUFFICIENT_STOCK, INVALID_STATE, OUT_OF_RANGE." })
  code: string;

  /** Which message it is, with its values: rendered in the request's language as `message`. */
  said: Message;

  constructor(field: string | null, code: string, key: MessageKey, params?: MessageParams) {
    this.field = field;
    this.code = code;
    this.said = message(key, params);
  }

  /** The words in one language (the command line's, the audit log's). */
  text(locale: Locale): string {
    return render(locale, this.said);
  }
}

/** UserError.message: the one place a payload's problem is put into the reader's language. */
@Resolver(() => UserError)
export class UserErrorResolver {
  @FieldResolver(() => String, { description: "说明。Human-readable explanation naming the rule that was broken, in the request's language (Accept-Language; default zh-CN)." })
  message(@Root() error: UserError, @Ctx() ctx: { locale?: Locale }): string {
    return render(ctx.locale ?? FALLBACK_LOCALE, error.said);
  }
}

/**
 * Thrown inside a service transaction to abort it and return UserErrors in the payload.
 * The transaction is rolled back, so nothing is half-written.
 */
export class UserErrorsException extends Error {
  constructor(readonly errors: UserError[]) {
    super(errors.map((e) => e.text("en")).join("; "));
    this.name = "UserErrorsException";
  }
}

export function userError(field: string | null, code: string, key: MessageKey, params?: MessageParams): never {
  throw new UserErrorsException([new UserError(field, code, key, params)]);
}

const SAID = Symbol("message");

/**
 * A top-level error that names its message: its words are chosen where it is answered
 * (messageOf), in the request's language.
 */
export function localizedError(said: Message, options?: GraphQLErrorOptions): GraphQLError {
  return namesMessage(new GraphQLError(render("en", said), options), said);
}

/** Marks an error (of a class of its own) with the message it stands for. */
export function namesMessage<E extends Error>(error: E, said: Message): E {
  Object.defineProperty(error, SAID, { value: said, enumerable: false });
  return error;
}

/** The message a top-level error (or the error it wraps) names; undefined for words of graphql-js or Apollo. */
export function messageOf(error: unknown): Message | undefined {
  for (let cause = error, depth = 0; cause && typeof cause === "object" && depth < 4; depth++) {
    const said = (cause as { [SAID]?: Message })[SAID];
    if (said) return said;
    cause = (cause as { originalError?: unknown }).originalError;
  }
  return undefined;
}

export function badUserInput(field: string, key: MessageKey, params?: MessageParams): GraphQLError {
  return localizedError(message("input.badUserInput", { field, reason: message(key, params) }), { extensions: { code: "BAD_USER_INPUT", field } });
}

export function forbidden(key: MessageKey = "auth.forbidden", params?: MessageParams): GraphQLError {
  return localizedError(message(key, params), { extensions: { code: "FORBIDDEN" } });
}

export function unauthenticated(key: MessageKey = "auth.signInFirst", params?: MessageParams): GraphQLError {
  return localizedError(message(key, params), { extensions: { code: "UNAUTHENTICATED", http: { status: 401 } } });
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
const DATA_EXCEPTIONS: Record<string, MessageKey> = {
  "22021": "request.dataException.22021",
  "22P05": "request.dataException.22P05",
  "22003": "request.dataException.22003",
  "22008": "request.dataException.22008",
  "22007": "request.dataException.22007",
  "22P02": "request.dataException.22P02",
  "22001": "request.dataException.22001",
};

/** What a database data exception caused by input says of the value; null for any other error. */
export function inputDataException(error: unknown): MessageKey | null {
  for (let cause = error, depth = 0; cause && typeof cause === "object" && depth < 4; depth++) {
    const { code, driverError, originalError } = cause as { code?: unknown; driverError?: unknown; originalError?: unknown };
    if (typeof code === "string" && code in DATA_EXCEPTIONS) return DATA_EXCEPTIONS[code];
    cause = driverError ?? originalError;
  }
  return null;
}
