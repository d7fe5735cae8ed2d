declare module "*.css" {
  const href: string;
  export default href;
}

declare namespace JSX {
  interface IntrinsicElements {
    // App Bridge's navigation menu, drawn by Shopify's admin around the app's frame.
    "ui-nav-menu": React.DetailedHTMLProps<React.HTMLAttributes<HTMLElement>, HTMLElement>;
    // App Bridge's contextual save bar: its <button> children are the bar's Save (variant primary) and Discard.
    "ui-save-bar": React.DetailedHTMLProps<React.HTMLAttributes<HTMLElement>, HTMLElement> & {
      discardConfirmation?: boolean;
    };
  }
}
