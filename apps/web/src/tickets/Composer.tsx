import "@mantine/tiptap/styles.css";
import {
  Alert,
  Button,
  CloseButton,
  FileButton,
  Group,
  Paper,
  SegmentedControl,
  Stack,
  Text,
} from "@mantine/core";
import { RichTextEditor, type RichTextEditorLabels } from "@mantine/tiptap";
import type { TAttachment } from "@switchboard/contracts";
import Mention from "@tiptap/extension-mention";
import Placeholder from "@tiptap/extension-placeholder";
import { type Editor, Extension, useEditor } from "@tiptap/react";
import StarterKit from "@tiptap/starter-kit";
import type { SuggestionProps } from "@tiptap/suggestion";
import { type Ref, useEffect, useImperativeHandle, useRef, useState } from "react";
import { FormattedMessage, useIntl } from "react-intl";
import { useSession } from "../app/session-context.tsx";
import { useUsers } from "../lib/directory.ts";
import { ApiError } from "../lib/http.ts";
import { MentionMenu, matchColleagues, type TMentionItem, type TMentionMenuHandle } from "./MentionMenu.tsx";
import { addMessage, type TMessage, uploadAttachment } from "./tickets-api.ts";

export type TComposerKind = "reply" | "note";
export type TComposerHandle = { focus(kind?: TComposerKind): void; send(): void };

function mentionIdsOf(editor: Editor): string[] {
  const ids = new Set<string>();
  editor.state.doc.descendants((node) => {
    if (node.type.name === "mention" && typeof node.attrs.id === "string") ids.add(node.attrs.id);
  });
  return [...ids];
}

function useEditorLabels(): Partial<RichTextEditorLabels> {
  const t = useIntl().formatMessage;
  return {
    boldControlLabel: t({ id: "composer.bold" }),
    italicControlLabel: t({ id: "composer.italic" }),
    underlineControlLabel: t({ id: "composer.underline" }),
    strikeControlLabel: t({ id: "composer.strike" }),
    bulletListControlLabel: t({ id: "composer.bullets" }),
    orderedListControlLabel: t({ id: "composer.numbers" }),
    blockquoteControlLabel: t({ id: "composer.quote" }),
    codeControlLabel: t({ id: "composer.code" }),
    linkControlLabel: t({ id: "composer.link" }),
    unlinkControlLabel: t({ id: "composer.unlink" }),
    clearFormattingControlLabel: t({ id: "composer.clear" }),
    linkEditorInputLabel: t({ id: "composer.linkAddress" }),
    linkEditorInputPlaceholder: "https://",
    linkEditorExternalLink: t({ id: "composer.linkNewTab" }),
    linkEditorInternalLink: t({ id: "composer.linkSameTab" }),
    linkEditorSave: t({ id: "composer.save" }),
  };
}

/**
 * The reply and note editor: formatting, files, and @mentions of colleagues in notes. Loaded only
 * when a ticket opens (the editor is the app's largest part).
 */
export default function Composer(props: {
  ticketId: string;
  ref?: Ref<TComposerHandle>;
  onSent(message: TMessage): void;
  onTyping(typing: boolean): void;
}) {
  const intl = useIntl();
  const { user } = useSession();
  const users = useUsers().data;
  const [kind, setKind] = useState<TComposerKind>("reply");
  const [files, setFiles] = useState<TAttachment[]>([]);
  const [uploading, setUploading] = useState(false);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [empty, setEmpty] = useState(true);
  const [mention, setMention] = useState<SuggestionProps<TMentionItem> | null>(null);
  const menu = useRef<TMentionMenuHandle>(null);
  // The editor's extensions are built once; these refs let them read the current values.
  const live = useRef({ kind, users, selfId: user.id, typingTimer: 0 as number | undefined });
  live.current.kind = kind;
  live.current.users = users;

  const sendRef = useRef<() => void>(() => undefined);
  const editor = useEditor({
    extensions: [
      // Ahead of the editor's own Mod-Enter (a line break): in a helpdesk it sends.
      Extension.create({
        name: "sendOnModEnter",
        priority: 1000,
        addKeyboardShortcuts: () => ({
          "Mod-Enter": () => {
            sendRef.current();
            return true;
          },
        }),
      }),
      StarterKit.configure({ link: { openOnClick: false, autolink: true } }),
      Placeholder.configure({
        placeholder: () => intl.formatMessage({ id: `composer.placeholder.${live.current.kind}` }),
      }),
      Mention.configure({
        HTMLAttributes: { class: "sb-mention" },
        suggestion: {
          allow: () => live.current.kind === "note",
          items: ({ query }) => matchColleagues(live.current.users ?? [], query, live.current.selfId),
          render: () => ({
            onStart: (p) => setMention(p),
            onUpdate: (p) => setMention(p),
            onKeyDown: (p) => {
              if (p.event.key !== "Escape") return menu.current?.onKeyDown(p) ?? false;
              setMention(null);
              return true;
            },
            onExit: () => setMention(null),
          }),
        },
      }),
    ],
    editorProps: { attributes: { "aria-label": intl.formatMessage({ id: "ticket.composer" }), dir: "auto" } },
    onUpdate: ({ editor: e }) => {
      setEmpty(e.isEmpty);
      props.onTyping(true);
      window.clearTimeout(live.current.typingTimer);
      live.current.typingTimer = window.setTimeout(() => props.onTyping(false), 4000);
    },
  });

  useEffect(() => () => window.clearTimeout(live.current.typingTimer), []);

  const send = async () => {
    if (!editor || sending || uploading || (editor.isEmpty && files.length === 0)) return;
    setSending(true);
    setError(null);
    try {
      const text = editor.getText({ blockSeparator: "\n\n" }).trim();
      const mentionIds = kind === "note" ? mentionIdsOf(editor) : [];
      const message = await addMessage(props.ticketId, {
        kind,
        body: text || files.map((f) => f.filename).join(", "),
        ...(editor.isEmpty ? {} : { html: editor.getHTML() }),
        ...(files.length > 0 ? { attachmentIds: files.map((f) => f.id) } : {}),
        ...(mentionIds.length > 0 ? { mentionIds } : {}),
      });
      editor.commands.clearContent(true);
      setFiles([]);
      window.clearTimeout(live.current.typingTimer);
      props.onTyping(false);
      props.onSent(message);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : intl.formatMessage({ id: "app.error" }));
    } finally {
      setSending(false);
    }
  };

  sendRef.current = () => void send();
  useImperativeHandle(props.ref, () => ({
    focus: (next) => {
      if (next) setKind(next);
      editor?.commands.focus("end");
    },
    send: () => void send(),
  }));

  const attach = async (picked: File[]) => {
    if (picked.length === 0) return;
    setUploading(true);
    setError(null);
    try {
      for (const file of picked) {
        const uploaded = await uploadAttachment(props.ticketId, file);
        setFiles((f) => [...f, ...uploaded]);
      }
    } catch (err) {
      setError(err instanceof ApiError ? err.message : intl.formatMessage({ id: "app.error" }));
    } finally {
      setUploading(false);
    }
  };

  const labels = useEditorLabels();
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
      aria-label={intl.formatMessage({ id: "ticket.composer" })}
    >
      <Stack gap="xs">
        <SegmentedControl
          w="fit-content"
          value={kind}
          onChange={(v) => setKind(v as TComposerKind)}
          data={[
            { value: "reply", label: intl.formatMessage({ id: "ticket.reply" }) },
            { value: "note", label: intl.formatMessage({ id: "ticket.note" }) },
          ]}
        />
        <RichTextEditor
          editor={editor}
          labels={labels}
          data-kind={kind}
          bg={kind === "note" ? "yellow.0" : undefined}
        >
          <RichTextEditor.Toolbar>
            <RichTextEditor.ControlsGroup>
              <RichTextEditor.Bold />
              <RichTextEditor.Italic />
              <RichTextEditor.Underline />
              <RichTextEditor.Strikethrough />
              <RichTextEditor.Code />
              <RichTextEditor.ClearFormatting />
            </RichTextEditor.ControlsGroup>
            <RichTextEditor.ControlsGroup>
              <RichTextEditor.BulletList />
              <RichTextEditor.OrderedList />
              <RichTextEditor.Blockquote />
            </RichTextEditor.ControlsGroup>
            <RichTextEditor.ControlsGroup>
              <RichTextEditor.Link />
              <RichTextEditor.Unlink />
            </RichTextEditor.ControlsGroup>
          </RichTextEditor.Toolbar>
          <RichTextEditor.Content mih={120} />
        </RichTextEditor>
        {mention && <MentionMenu props={mention} handle={menu} />}
        {kind === "note" && (
          <Text size="xs" c="gray.7">
            <FormattedMessage id="composer.mentionHint" />
          </Text>
        )}
        {files.length > 0 && (
          <Group gap="xs" role="list" aria-label={intl.formatMessage({ id: "composer.files" })}>
            {files.map((f) => (
              <Paper key={f.id} role="listitem" withBorder px="xs" py={2} radius="sm">
                <Group gap={4} wrap="nowrap">
                  <Text size="sm">
                    <bdi>{f.filename}</bdi>
                  </Text>
                  <CloseButton
                    size="sm"
                    aria-label={intl.formatMessage({ id: "composer.removeFile" }, { name: f.filename })}
                    onClick={() => setFiles((all) => all.filter((x) => x.id !== f.id))}
                  />
                </Group>
              </Paper>
            ))}
          </Group>
        )}
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <Group justify="space-between">
          <FileButton onChange={(picked) => void attach(picked)} multiple>
            {(p) => (
              <Button {...p} variant="default" loading={uploading}>
                <FormattedMessage id="composer.attach" />
              </Button>
            )}
          </FileButton>
          <Button type="submit" loading={sending} disabled={empty && files.length === 0}>
            <FormattedMessage id={kind === "note" ? "ticket.sendNote" : "ticket.send"} />
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
