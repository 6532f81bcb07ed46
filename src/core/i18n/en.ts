// The English catalogue: the keys of zh-CN.ts with the same parameters, for clients that ask for
// English (Accept-Language: en, --lang en). See i18n.ts.
import type { MessageKey } from "./zh-CN";

export const en: Record<MessageKey, string> = {
  // ---- core: signing in, roles, scope
  "auth.signInFirst": "Sign in first: send Authorization: Bearer <token or API key>.",
  "auth.anonymousOnly": "Sign in first: anonymous requests may only use {{allowed}} (asked for {{asked}}). Send Authorization: Bearer <token or API key>.",
  "auth.anonymousAllowed.login": "login",
  "auth.anonymousAllowed.loginAndIntrospection": "login and introspection",
  "auth.forbidden": "Your role or scope does not allow this.",
  "auth.roleNotAllowed": "Role {{role}} may not do this; allowed: {{allowed}}.",
  "scope.outside": "{{what}} lies outside your scope (属地): you act only within region {{region}}.",
  "scope.what.site": "Site {{name}}",
  "scope.what.orderDestination": "The order's destination",
  "scope.what.requestDestination": "The request's destination",
  "scope.what.requestCodeDestination": "Request {{code}}'s destination",
  "scope.what.importSite": "Site {{name}} ({{code}}, row {{row}})",

  // ---- core: the front door, limits, rate limit
  "request.internalError": "Internal error. Quote request id {{requestId}} when reporting it.",
  "request.dataException": "A value in the request is not acceptable: {{reason}}.",
  "request.dataException.22021": "it holds a character the database cannot store (such as NUL)",
  "request.dataException.22P05": "it holds a character the database cannot store",
  "request.dataException.22003": "a number is out of range",
  "request.dataException.22008": "a date or time is out of range",
  "request.dataException.22007": "a date or time is malformed",
  "request.dataException.22P02": "a value is malformed",
  "request.dataException.22001": "a text is too long",
  "request.introspectionOff": "Introspection is switched off on this service (setting GRAPHQL_INTROSPECTION); the document asks for {{field}}.",
  "request.subscriptionsOverWebSocket": "Subscriptions run over WebSocket: subscribe with graphql-ws on this same path (/graphql); HTTP carries queries and mutations.",
  "request.onlySubscriptionsOverWebSocket.queries": "Only subscriptions run over WebSocket; send queries with HTTP POST /graphql.",
  "request.onlySubscriptionsOverWebSocket.mutations": "Only subscriptions run over WebSocket; send mutations with HTTP POST /graphql.",
  "request.rateLimited": "Too many requests: at most {{limit}} a minute (setting RATE_LIMIT_PER_MINUTE). Retry after {{retryAfter}} s.",
  "request.tooManyOperations": "Operations in one request: {{measured}} exceeds the limit of {{limit}} (setting GRAPHQL_MAX_OPERATIONS).",
  "limits.operations": "Operations in one document: {{measured}} exceeds the limit of {{limit}} (setting {{setting}}).",
  "limits.aliases": "Aliases: {{measured}} exceeds the limit of {{limit}} (setting {{setting}}).",
  "limits.depth": "Query depth: {{measured}} exceeds the limit of {{limit}} (setting {{setting}}).",
  "limits.cost": "Query cost: {{measured}} exceeds the limit of {{limit}} (setting {{setting}}).",
  "request.bodyTooLarge": "Request body exceeds {{limit}} bytes (setting REQUEST_BODY_LIMIT_BYTES).",
  "request.unsupportedEncoding": "Content-Encoding {{encoding}} is not supported (gzip, deflate or none).",
  "request.badEncoding": "The request body is not valid {{encoding}} data.",
  "request.notJsonObject": "The request body is not valid JSON: send an object (or an array of them).",
  "request.notJson": "The request body is not valid JSON.",

  // ---- core: the database, retries
  "database.unavailable": "The database is not available right now; nothing was changed. Try again in {{seconds}} seconds.",
  "database.outcomeUnknown":
    "The connection to the database was lost while the change was being committed: it may or may not have been made. Retry with the same idempotency key (it returns the first result if the change was made), or read the current state before retrying.",
  "idempotency.takenOver": "A retry with the same idempotency key took this request over and is doing its work; this attempt changed nothing. Retry with the same key to get the result.",
  "idempotency.keyReused": "this idempotency key was already used for a different request ({{operation}} with other input); use a new key for new work",
  "idempotency.alreadyApplied": "This request was already carried out (idempotency key seen), but its result was not kept; read the current state instead of retrying.",
  "idempotency.inProgress": "A request with this idempotency key is still in progress; retry with the same key in a moment to get its result.",
  "idempotency.oneMutation": "input.idempotencyKey: works with one mutation per request; send the mutations separately.",
  "idempotency.batched": "input.idempotencyKey: cannot be used inside a batched request; send the mutation on its own.",

  // ---- core: WebSocket
  "socket.unauthorized": "Unauthorized: send { authorization: 'Bearer <token or API key>' } in connection_init",
  "socket.unauthorizedBecause": "Unauthorized: {{reason}}",
  "socket.scopeChanged": "Forbidden: the role or scope of these credentials changed; connect again.",
  "socket.revoked": "Forbidden: these credentials were revoked, deactivated or have expired.",
  "socket.tooManyOnConnection": "Too many subscriptions on this connection: at most {{limit}} (setting WS_MAX_SUBSCRIPTIONS_PER_CONNECTION). Complete some first.",
  "socket.tooManyForIdentity": "Too many subscriptions for this account or API key: at most {{limit}} on this instance (setting WS_MAX_SUBSCRIPTIONS_PER_IDENTITY).",

  // ---- core: paging, ids
  "relay.wrongType": "\"{{id}}\" is not the id of a {{expected}}",
  "relay.first": "must be between 0 and {{max}}, got {{first}}",
  "relay.badCursor": "is not a cursor from this connection",
  "input.badUserInput": "{{field}}: {{reason}}",
  "input.fieldSays": "{{field}} {{rule}}",

  // ---- core: the input rules (core/graphql/input-rules.ts)
  "rule.noControls": "must contain no control characters (line breaks and tabs included); found {{codePoint}} at position {{position}}",
  "rule.noControlsButLineBreaks": "must contain no control characters other than line breaks and tabs; found {{codePoint}} at position {{position}}",
  "rule.noBidi": "must not contain bidirectional overrides; found {{codePoint}} at position {{position}}",
  "rule.blank": "must not be blank",
  "rule.blankLeaveOut": "must not be blank; leave the field out instead",
  "rule.tooLongChars": "must be at most {{max}} characters (it has {{actual}})",
  "rule.tooLongBytes": "must be at most {{max}} bytes in UTF-8 (it has {{actual}})",
  "rule.format": "must be {{format}}",
  "rule.format.code": "letters, digits and . _ - · / : # ( ) + only, no spaces",
  "rule.format.phone": "a mobile number of 11 digits (e.g. 13812345678) or a landline with its area code (e.g. 023-52221234)",
  "rule.format.idNumber": "18 characters: 17 digits, then a digit or X",
  "rule.format.cursor": "a cursor this connection returned (endCursor or an edge's cursor)",
  "rule.format.idempotencyKey": "1–100 letters, digits, '-', '_', '.', or ':' (a UUID is ideal)",
  "rule.invalidId": "is not an id this service gave out (ids are opaque: pass one back as it was received)",
  "rule.dateRange": "must lie between {{earliest}} and {{latest}}",
  "rule.pastDate": "describes the past and must not lie in the future",

  // ---- core: a mutation's own checks (core/mutation/input-errors.ts)
  "input.required": "{{field}} must not be empty",
  "input.tooLong": "{{field}} must be at most {{max}} characters",
  "input.quantity": "quantity must be a positive whole number up to {{max}}, got {{value}}",
  "input.wholeNumber": "{{field}} must be a whole number from {{min}} to {{max}}, got {{value}}",
  "input.latitude": "latitude must be between -90 and 90",
  "input.longitude": "longitude must be between -180 and 180",
  "input.phone": "{{field}} must be a phone number (digits, spaces, dashes, optional +)",
  "input.productionInFuture": "production date {{date}} is in the future",
  "input.expiryRequired": "this item tracks expiry: give the batch's expiry date",
  "input.expired": "the batch expired on {{date}}; expired stock cannot be received as new",
  "input.expiryBeforeProduction": "expiry date is before the production date",
};
