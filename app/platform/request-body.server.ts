export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body exceeds ${limit} bytes`);
  }
}

/** Reads a request body but stops as soon as it passes `limit` bytes, declared or not. */
export async function readBodyWithLimit(request: Request, limit: number): Promise<Buffer> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) {
    await discardBody(request, limit * DISCARD_FACTOR);
    throw new BodyTooLargeError(limit);
  }
  if (!request.body) return Buffer.alloc(0);

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await discardRest(reader, limit * DISCARD_FACTOR - total);
      throw new BodyTooLargeError(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

// A sender still writing when we answer gets a reset instead of our 413, so a moderately
// oversized body is read to its end and thrown away; past this multiple we hang up.
const DISCARD_FACTOR = 16;

async function discardBody(request: Request, budget: number) {
  if (request.body) await discardRest(request.body.getReader(), budget);
}

async function discardRest(reader: ReadableStreamDefaultReader<Uint8Array>, budget: number) {
  let remaining = budget;
  while (remaining > 0) {
    const { done, value } = await reader.read();
    if (done) return;
    remaining -= value.byteLength;
  }
  await reader.cancel();
}
