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
  Typography,
  UnstyledButton,
} from "@mantine/core";
import type { TAttachment } from "@switchboard/contracts";
import { memo, useMemo, useState } from "react";
import { FormattedDate, FormattedMessage, FormattedNumber } from "react-intl";
import { hasRemoteImages, safeHtml } from "../lib/safe-html.ts";
import { EventLine } from "./EventLine.tsx";
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
      <Text dir="auto" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
        {message.bodyText}
      </Text>
    );
  }
  return (
    <>
      {html && hasRemoteImages(html) && !showImages && (
        <Button variant="subtle" size="compact-xs" onClick={() => setShowImages(true)} mb={4}>
          <FormattedMessage id="thread.showImages" />
        </Button>
      )}
      <Typography>
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: sanitised by safeHtml (DOMPurify) just above. */}
        <div dir="auto" className="sb-mail" dangerouslySetInnerHTML={{ __html: clean }} />
      </Typography>
    </>
  );
}

/** One message of the thread; quoted history is folded away, system events are one quiet line. */
export const ThreadItem = memo(function ThreadItem({ message }: { message: TMessage }) {
  if (message.kind === "event") return <EventLine message={message} />;
  const note = message.kind === "note";
  const fromCustomer = message.author.type === "customer";
  return (
    <Paper
      component="article"
      withBorder
      p="sm"
      bg={note ? "yellow.0" : fromCustomer ? "gray.0" : "white"}
      data-kind={message.kind}
      data-message-id={message.id}
      aria-label={message.author.name ?? undefined}
    >
      <Group justify="space-between" mb={4} wrap="nowrap">
        <Text fw={600} size="sm">
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
        </Text>
        <Text size="xs" c="gray.7" style={{ whiteSpace: "nowrap" }}>
          <FormattedDate value={message.createdAt} dateStyle="medium" timeStyle="short" />
        </Text>
      </Group>
      <Body message={message} />
      {message.email?.quotedText && (
        <details>
          <summary>
            <Text span size="xs" c="gray.7">
              <FormattedMessage id="ticket.quoted" />
            </Text>
          </summary>
          <Text dir="auto" size="sm" c="gray.7" style={{ whiteSpace: "pre-wrap" }}>
            {message.email.quotedText}
          </Text>
        </details>
      )}
      <Attachments items={message.attachments} />
    </Paper>
  );
});

export function Thread({ messages }: { messages: TMessage[] }) {
  return (
    <Stack gap="xs" aria-live="polite" data-thread data-count={messages.length}>
      {messages.map((m) => (
        <ThreadItem key={m.id} message={m} />
      ))}
    </Stack>
  );
}
