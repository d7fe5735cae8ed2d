import { v7 as uuidv7 } from "uuid";

/**
 * A new receipt's id: a UUIDv7, whose text sorts in the order this process made them (uuid keeps
 * a counter within a millisecond). The receipt queue takes receipts by "receivedAt", which counts
 * milliseconds, and then by this id, so webhooks stored within one millisecond are processed in
 * the order they came on PostgreSQL too, which has no rowid: a carrier's Delivered processed
 * before its Out for Delivery leaves no Out for Delivery, since a shipment only moves forward.
 */
export const newReceiptId = (): string => uuidv7();
