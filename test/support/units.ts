// A unit of work for a service called directly by a test, as the command-line tools make one:
// its changes are audited in their transaction like any mutation's.
import crypto from "node:crypto";
import type { Actor } from "../../src/core/access/auth";
import { UnitOfWork } from "../../src/core/mutation/unit-of-work";

export function unitFor(actor: Actor, operation = "test"): UnitOfWork {
  return UnitOfWork.forOperator(actor, operation, { calledBy: "test" }, `test-${crypto.randomUUID()}`);
}
