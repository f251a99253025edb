import { Loader } from "@mantine/core";
import { useIntl } from "react-intl";

/** A spinner that says what it is to screen readers. */
export function Loading() {
  return <Loader size="sm" role="status" aria-label={useIntl().formatMessage({ id: "app.loading" })} />;
}
