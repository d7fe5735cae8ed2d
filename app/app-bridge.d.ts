// A module (it exports), so that these augment React's and the DOM's types instead of replacing them.
export {};

declare module "react" {
  // Attributes App Bridge reads from a save bar's buttons.
  interface ButtonHTMLAttributes<T> extends HTMLAttributes<T> {
    variant?: "primary";
    loading?: "";
  }
}

declare global {
  /** The parts of App Bridge's global (https://shopify.dev/docs/api/app-bridge-library) the app calls. */
  interface Window {
    shopify?: {
      toast: { show(message: string, options?: { isError?: boolean; duration?: number }): void };
      saveBar: { show(id: string): Promise<void>; hide(id: string): Promise<void> };
    };
  }
}
