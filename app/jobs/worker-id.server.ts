import { randomBytes } from "node:crypto";
import { hostname } from "node:os";

/** This process, as the owner of the leases and lanes it takes. */
export const WORKER_ID = `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
