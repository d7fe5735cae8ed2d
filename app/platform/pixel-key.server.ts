import { randomBytes } from "node:crypto";
import { prisma } from "../db.server";

/**
 * The shop's public pixel key, made the first time it is asked for: the web pixel's settings
 * carry it (webPixelCreate / webPixelUpdate) and every batch sends it back. It is not a secret
 * (it is in the storefront's page); it keeps other shops' and strangers' batches out, and a new
 * one refuses every batch sent with the old.
 */
export async function pixelKeyFor(shopId: string): Promise<string> {
  const shop = await prisma.shop.findUniqueOrThrow({ where: { id: shopId }, select: { pixelKey: true } });
  if (shop.pixelKey) return shop.pixelKey;
  const key = `wpx_${randomBytes(18).toString("base64url")}`;
  // Two first requests at once: the first key written is the shop's.
  await prisma.shop.updateMany({ where: { id: shopId, pixelKey: null }, data: { pixelKey: key } });
  return (await prisma.shop.findUniqueOrThrow({ where: { id: shopId }, select: { pixelKey: true } })).pixelKey!;
}

/** A new key: batches sent with the old one are refused from now on (the pixel must be updated). */
export async function rotatePixelKey(shopId: string): Promise<string> {
  const key = `wpx_${randomBytes(18).toString("base64url")}`;
  await prisma.shop.update({ where: { id: shopId }, data: { pixelKey: key } });
  return key;
}
