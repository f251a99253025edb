/** Each status's badge colour, the same in every list. */
export const STATUS_COLOR: Record<string, string> = {
  new: "yellow",
  open: "red",
  pending: "blue",
  on_hold: "gray",
  solved: "green",
  closed: "dark",
};
