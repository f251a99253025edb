import { useDisclosure } from "@mantine/hooks";
import { lazy, Suspense, useEffect, useState } from "react";
import { lastViewId } from "../app/place.ts";
import { dispatchShortcut } from "./registry.ts";
import { SHORTCUTS, useShortcuts } from "./shortcuts.ts";

// The overlay (and Mantine's Modal) is loaded the first time it is asked for, not with the app.
const ShortcutHelp = lazy(() => import("./ShortcutHelp.tsx").then((m) => ({ default: m.ShortcutHelp })));

/**
 * The app's keyboard layer, mounted once in the shell: the one keydown listener, the shortcuts that
 * work everywhere (? for help, g then v for the views) and the help overlay.
 */
export function KeyboardShortcuts() {
  const [helpOpen, help] = useDisclosure(false);
  const [helpLoaded, setHelpLoaded] = useState(false);
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => void dispatchShortcut(event);
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, []);
  useShortcuts([
    {
      ...SHORTCUTS.help,
      run: () => {
        setHelpLoaded(true);
        help.open();
      },
    },
    {
      ...SHORTCUTS.goViews,
      run: () => {
        window.location.hash = `#/views/${lastViewId()}`;
      },
    },
  ]);
  if (!helpLoaded) return null;
  return (
    <Suspense fallback={null}>
      <ShortcutHelp opened={helpOpen} onClose={help.close} />
    </Suspense>
  );
}
