import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useLoaderData } from "@remix-run/react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css";
import appStyles from "./styles/app.css";
import { env } from "./env.server";
import { appBridgeScriptUrl } from "./demo/demo-mode.server";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: polarisStyles },
  { rel: "stylesheet", href: appStyles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const embedded = new URL(request.url).pathname.startsWith("/app");
  return json({
    apiKey: env.shopifyApiKey,
    appBridgeSrc: embedded ? appBridgeScriptUrl() : null,
  });
}

export default function App() {
  const { apiKey, appBridgeSrc } = useLoaderData<typeof loader>();
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <meta name="shopify-api-key" content={apiKey} />
        {appBridgeSrc ? <script src={appBridgeSrc} /> : null}
        <title>Waypost</title>
        <Meta />
        <Links />
      </head>
      <body>
        <Outlet />
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}
