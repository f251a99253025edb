import {
  Anchor,
  Badge,
  Button,
  Group,
  Image,
  Modal,
  Paper,
  Stack,
  Text,
  UnstyledButton,
} from "@mantine/core";
import type { TAttachment } from "@switchboard/contracts";
import { memo, useMemo, useState } from "react";
import { FormattedDate, FormattedMessage, FormattedNumber } from "react-intl";
import { hasRemoteImages, safeHtml } from "../lib/safe-html.ts";
import { EventLine } from "./EventLine.tsx";
import classes from "./Thread.module.css";
import type { TMessage } from "./tickets-api.ts";

const isImage = (a: TAttachment) => /^image\/(png|jpe?g|gif|webp|avif)$/i.test(a.contentType);

function FileSize({ bytes }: { bytes: number }) {
  const kb = bytes / 1024;
  return kb < 1024 ? (
    <FormattedNumber value={Math.max(1, Math.round(kb))} style="unit" unit="kilobyte" />
  ) : (
    <FormattedNumber value={kb / 1024} style="unit" unit="megabyte" maximumFractionDigits={1} />
  );
}

/** Files of a message: images as thumbnails that open large, other files as download links. */
function Attachments({ items }: { items: TAttachment[] }) {
  const [open, setOpen] = useState<TAttachment | null>(null);
  if (items.length === 0) return null;
  return (
    <Group component="ul" gap="xs" mt="xs" p={0} style={{ listStyle: "none" }}>
      {items.map((a) => (
        <li key={a.id}>
          {isImage(a) ? (
            <UnstyledButton onClick={() => setOpen(a)} aria-label={a.filename}>
              <Image src={a.url} alt="" h={72} w={96} fit="cover" radius="sm" loading="lazy" />
            </UnstyledButton>
          ) : (
            <Paper withBorder px="xs" py={4} radius="sm">
              <Anchor href={a.url} download={a.filename} size="sm">
                <bdi>{a.filename}</bdi>
              </Anchor>{" "}
              <Text span size="xs" c="gray.7">
                <FileSize bytes={a.sizeBytes} />
              </Text>
            </Paper>
          )}
        </li>
      ))}
      <Modal opened={open !== null} onClose={() => setOpen(null)} title={open?.filename} size="xl" centered>
        {open && (
          <Stack>
            <Image src={open.url} alt={open.filename} fit="contain" mah="70vh" />
            <Anchor href={open.url} download={open.filename} size="sm">
              <FormattedMessage id="thread.download" />
            </Anchor>
          </Stack>
        )}
      </Modal>
    </Group>
  );
}

/** The body: sanitised HTML when there is some, else the text; remote images on request. */
function Body({ message }: { message: TMessage }) {
  const [showImages, setShowImages] = useState(false);
  const html = message.bodyHtml;
  const clean = useMemo(
    () => (html ? safeHtml(html, { showRemoteImages: showImages }) : null),
    [html, showImages],
  );
  if (!clean) {
    return (
      <p dir="auto" className={classes.text}>
        {message.bodyText}
      </p>
    );
  }
  return (
    <>
      {html && hasRemoteImages(html) && !showImages && (
        <Button variant="subtle" size="compact-xs" onClick={() => setShowImages(true)} mb={4}>
          <FormattedMessage id="thread.showImages" />
        </Button>
      )}
      {/* biome-ignore lint/security/noDangerouslySetInnerHtml: sanitised by safeHtml (DOMPurify) just above. */}
      <div dir="auto" className={classes.html} dangerouslySetInnerHTML={{ __html: clean }} />
    </>
  );
}

/** One message of the thread; quoted history is folded away, system events are one quiet line. */
export const ThreadItem = memo(function ThreadItem({ message }: { message: TMessage }) {
  if (message.kind === "event") return <EventLine message={message} />;
  const note = message.kind === "note";
  return (
    <article
      className={classes.item}
      data-kind={message.kind}
      data-author={message.author.type}
      data-message-id={message.id}
      aria-label={message.author.name ?? undefined}
    >
      <div className={classes.head}>
        <span className={classes.author}>
          <bdi>{message.author.name ?? "—"}</bdi>
          {note && (
            <Badge ms="xs" size="xs" color="yellow" variant="light" c="dark.8">
              <FormattedMessage id="ticket.note" />
            </Badge>
          )}
          {message.email?.delivery?.state === "failed" && (
            <Badge
              ms="xs"
              size="xs"
              color="red"
              variant="light"
              c="dark.8"
              title={message.email.delivery.error ?? ""}
            >
              <FormattedMessage id="thread.notDelivered" />
            </Badge>
          )}
        </span>
        <span className={classes.when}>
          <FormattedDate value={message.createdAt} dateStyle="medium" timeStyle="short" />
        </span>
      </div>
      <Body message={message} />
      {message.email?.quotedText && (
        <details>
          <summary className={classes.summary}>
            <FormattedMessage id="ticket.quoted" />
          </summary>
          <div dir="auto" className={classes.quoted}>
            {message.email.quotedText}
          </div>
        </details>
      )}
      <Attachments items={message.attachments} />
    </article>
  );
});

export function Thread({ messages }: { messages: TMessage[] }) {
  return (
    <div className={classes.list} aria-live="polite" data-thread data-count={messages.length}>
      {messages.map((m) => (
        <ThreadItem key={m.id} message={m} />
      ))}
    </div>
  );
}
