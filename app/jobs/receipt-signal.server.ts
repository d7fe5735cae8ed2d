import { EventEmitter } from "node:events";

// Lets the in-process worker start on a new receipt at once instead of at its next poll.
const signal = new EventEmitter();

export function notifyReceiptArrived() {
  signal.emit("receipt");
}

export function onReceiptArrived(listener: () => void): () => void {
  signal.on("receipt", listener);
  return () => signal.off("receipt", listener);
}
