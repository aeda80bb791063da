// Package web serves sitematch's French web map: a single-page app built on
// the HTTP API, for industrialists looking for a site (Trouver un site,
// Comparer), for régions shortlisting theirs (Présélection régionale) and
// for browsing the catalogue's layers (Catalogue).
//
// # Basics
//
// Register mounts the app on an Echo server under /app/, with the région
// and département outlines at /app/outlines/{level}.geojson. Index and
// ServeIndex give the page itself, so that a server can answer GET / with
// it when PrefersHTML says a browser is asking.
//
// The page calls the API on its own origin: /v1/profiles, /v1/match,
// /v1/compare, /v1/shortlist, /v1/sectors/{naf} (the NAF field),
// /v1/territories/{code} (the territory view), /v1/sites/{id}, /v1/communes (commune
// autocompletion: [{code, name, departement, lon, lat}]) and the OGC API
// collections. It loads nothing from outside: the map library (Leaflet) is
// embedded, and the base layers are the outlines. An online base map is
// drawn only when configured (Options.BaseMap, or ?basemap=URL in the
// page's address).
//
// # Files
//
// The sources are in src/ (vanilla ES modules, one CSS file, index.html);
// the map library is pinned in package.json and package-lock.json. The
// build step copies both into dist/, which is committed and embedded:
//
//	cd api/web && npm ci && npm run build
//
// check-dist.sh rebuilds into a temporary folder and fails when dist/
// differs, so CI catches sources changed without a build. A fresh clone
// serves the page without Node.js.
//
// # Caveats
//
// The app's own files are served with Cache-Control: no-cache and an ETag
// (a reload revalidates, a new binary takes effect at once); the library's
// folder is named after its version and cached for a year. The page's
// Content-Security-Policy allows scripts and API calls from its own origin
// only; images (base-map tiles) may come from any http(s) origin.
package web
