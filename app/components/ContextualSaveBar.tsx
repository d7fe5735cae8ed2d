import { useBlocker } from "@remix-run/react";
import { Modal, Text } from "@shopify/polaris";
import { useEffect } from "react";

interface Props {
  /** Unique on the page: App Bridge shows and hides the bar by it. */
  id: string;
  dirty: boolean;
  saving: boolean;
  onSave(): void;
  onDiscard(): void;
}

/**
 * App Bridge's contextual save bar (ui-save-bar) for one settings form, shown while the form has
 * unsaved changes, and a warning before those changes are left behind: a modal for a page change
 * inside the app, the browser's own prompt for a reload or a closed tab.
 */
export function ContextualSaveBar({ id, dirty, saving, onSave, onDiscard }: Props) {
  useEffect(() => {
    const saveBar = window.shopify?.saveBar;
    if (saveBar) void (dirty ? saveBar.show(id) : saveBar.hide(id));
  }, [id, dirty]);
  useEffect(() => () => void window.shopify?.saveBar.hide(id), [id]);

  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) => dirty && currentLocation.pathname !== nextLocation.pathname,
  );

  return (
    <>
      <ui-save-bar id={id}>
        <button variant="primary" onClick={onSave} loading={saving ? "" : undefined} disabled={saving}>
          Save
        </button>
        <button onClick={onDiscard} disabled={saving}>
          Discard
        </button>
      </ui-save-bar>
      <Modal
        open={blocker.state === "blocked"}
        onClose={() => blocker.reset?.()}
        title="Leave page with unsaved changes?"
        primaryAction={{ content: "Leave page", destructive: true, onAction: () => blocker.proceed?.() }}
        secondaryActions={[{ content: "Stay", onAction: () => blocker.reset?.() }]}
      >
        <Modal.Section>
          <Text as="p">Leaving this page discards all unsaved changes.</Text>
        </Modal.Section>
      </Modal>
    </>
  );
}
