import { Link } from "@remix-run/react";
import type { AppProviderProps } from "@shopify/polaris";

type LinkLikeComponent = NonNullable<AppProviderProps["linkComponent"]>;

/** Lets Polaris components with a `url` navigate client-side through Remix. */
export const RemixPolarisLink: LinkLikeComponent = ({ url, children, external, ref: _ref, ...rest }) => {
  if (external || /^https?:\/\//.test(url)) {
    return (
      <a href={url} target="_blank" rel="noopener noreferrer" {...rest}>
        {children}
      </a>
    );
  }
  return (
    <Link to={url} {...(rest as Record<string, unknown>)}>
      {children}
    </Link>
  );
};
