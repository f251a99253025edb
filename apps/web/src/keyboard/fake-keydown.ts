/** For the keyboard tests only. */
type TPress = { key: string; code?: string; shift?: boolean; ctrl?: boolean; meta?: boolean; alt?: boolean };

/**
 * A key press as the matcher reads it. Node has no KeyboardEvent, and the matcher (Mantine's) reads only
 * these fields, so a plain object stands in for one.
 */
export const press = (p: TPress) => {
  const event = {
    key: p.key,
    code: p.code ?? "",
    shiftKey: p.shift ?? false,
    ctrlKey: p.ctrl ?? false,
    metaKey: p.meta ?? false,
    altKey: p.alt ?? false,
    target: null,
    isComposing: false,
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true;
    },
  };
  return event as unknown as KeyboardEvent;
};
