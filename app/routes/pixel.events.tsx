import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { answerPixelRequest } from "../platform/pixel-ingest.server";

// The storefront pixel's ingest (public, no session): POST a batch, or its CORS preflight.
export const action = ({ request }: ActionFunctionArgs) => answerPixelRequest(request);

export const loader = ({ request }: LoaderFunctionArgs) => answerPixelRequest(request);
