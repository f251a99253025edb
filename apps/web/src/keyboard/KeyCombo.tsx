import { Kbd } from "@mantine/core";
import { Fragment, useMemo } from "react";
import { FormattedMessage } from "react-intl";
import { isApple, keyCaps } from "./keys.ts";

/**
 * A shortcut's keys as <kbd>s: "Ctrl + Enter", "g then v". Each chord reads left to right in every
 * language (it is what is printed on the keys); the words between follow the page's direction.
 */
export function KeyCombo({ keys }: { keys: string }) {
  const caps = useMemo(() => keyCaps(keys, isApple()), [keys]);
  return (
    <>
      {caps.map((chord, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a sequence's chords never move, and one may repeat ("g g")
        <Fragment key={i}>
          {i > 0 && (
            <>
              {" "}
              <FormattedMessage id="shortcut.then" />{" "}
            </>
          )}
          <span dir="ltr" style={{ whiteSpace: "nowrap" }}>
            {chord.map((cap, j) => (
              <Fragment key={cap}>
                {j > 0 && " + "}
                <Kbd size="sm">{cap}</Kbd>
              </Fragment>
            ))}
          </span>
        </Fragment>
      ))}
    </>
  );
}
