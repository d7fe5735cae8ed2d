/**
 * A short confirmation in App Bridge's toast, drawn by the admin (or the demo's stand-in) outside
 * the page, so it survives the component that asked for it unmounting.
 */
export const showToast = (message: string, options?: { isError?: boolean }) =>
  window.shopify?.toast.show(message, options);
