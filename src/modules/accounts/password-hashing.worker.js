// One password-hashing thread of the pool in password-hashing.ts: bcrypt (bcryptjs, pure
// JavaScript, so nothing is compiled or downloaded at install) run here, off the event loop.
// Plain JavaScript because a worker thread loads its file with Node's own loader, outside
// the swc hook (scripts/register.js) and jest's transform.
"use strict";
const { parentPort } = require("node:worker_threads");
const bcrypt = require("bcryptjs");

parentPort.on("message", (job) => {
  try {
    const value = job.kind === "hash" ? bcrypt.hashSync(job.password, job.cost) : bcrypt.compareSync(job.password, job.hash);
    parentPort.postMessage({ value });
  } catch (error) {
    parentPort.postMessage({ error: String((error && error.message) || error) });
  }
});
