// The page's address holds what is on screen, so that a result can be
// shared and reopened: #<view>?<params>, for example
//   #trouver?p=<project>&site=<id>
//   #comparer?p=<project>&ids=<id>,<id>
//   #preselection?region=28&sectors=aeronautics,chemistry
//   #catalogue?layers=turnkey,brownfields
// where <project> is the form's state as base64url-encoded JSON.

export const VIEWS = ["trouver", "comparer", "preselection", "catalogue"];

export function readHash() {
  const h = location.hash.replace(/^#/, "");
  const q = h.indexOf("?");
  const view = q < 0 ? h : h.slice(0, q);
  const params = new URLSearchParams(q < 0 ? "" : h.slice(q + 1));
  return { view: VIEWS.includes(view) ? view : "trouver", params };
}

// writeHash replaces the address (push: a new history entry, so that Back
// returns to the previous result).
export function writeHash(view, params, push = false) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== "") qs.set(k, v);
  }
  const s = qs.toString();
  const hash = `#${view}${s ? "?" + s : ""}`;
  if (hash === location.hash) return;
  const url = location.pathname + location.search + hash;
  if (push) history.pushState(null, "", url);
  else history.replaceState(null, "", url);
}

export function encodeState(obj) {
  const bytes = new TextEncoder().encode(JSON.stringify(obj));
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function decodeState(s) {
  try {
    const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/"));
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0))));
  } catch {
    return null;
  }
}
