import { lazy, Suspense } from "react";
import { Loading } from "../lib/Loading.tsx";
import { useSearchRoute } from "./search-route.ts";

// The results page is loaded when first opened: most sessions never leave the views.
const SearchPage = lazy(() => import("./SearchPage.tsx").then((m) => ({ default: m.SearchPage })));

/** Whether the address is the results page (`#/search…`), for the shell's main area. */
export const useOnSearchPage = () => useSearchRoute() !== null;

/** The results page of the search in the address. */
export function SearchRoute() {
  const route = useSearchRoute();
  if (!route) return null;
  return (
    <Suspense fallback={<Loading />}>
      <SearchPage q={route.q} type={route.type} />
    </Suspense>
  );
}
