import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { AppProvider, Button, Card, FormLayout, Page, Text, TextField } from "@shopify/polaris";
import english from "@shopify/polaris/locales/en.json";
import { useState } from "react";
import { env } from "../env.server";
import { login } from "../shopify.server";

// `login` redirects to Shopify's install and consent screen for the shop, or returns form errors.
export async function loader({ request }: LoaderFunctionArgs) {
  // The demo has one store and its own sign-in, so a lost session goes straight back to it.
  if (env.demo) throw redirect("/demo");
  return json({ errors: await loginErrors(request) });
}

export async function action({ request }: ActionFunctionArgs) {
  return json({ errors: await loginErrors(request) });
}

async function loginErrors(request: Request) {
  const result = await login(request);
  return { shop: result?.shop === undefined ? undefined : "Enter your store's myshopify.com domain" };
}

export default function Login() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [shop, setShop] = useState("");
  const error = (actionData ?? loaderData).errors.shop;
  return (
    <AppProvider i18n={english}>
      <Page narrowWidth>
        <Card>
          <Form method="post">
            <FormLayout>
              <Text variant="headingMd" as="h1">
                Install Waypost
              </Text>
              <TextField
                type="text"
                name="shop"
                label="Shop domain"
                helpText="example.myshopify.com"
                value={shop}
                onChange={setShop}
                autoComplete="on"
                error={error}
              />
              <Button submit>Install</Button>
            </FormLayout>
          </Form>
        </Card>
      </Page>
    </AppProvider>
  );
}
