package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/labstack/echo/v4"
)

//go:embed dist
var distFS embed.FS

// Prefix is the path the app is served under.
const Prefix = "/app/"

// Options configures the page beyond its defaults. The zero value serves a
// page that needs no outside network.
type Options struct {
	// BaseMap is an XYZ tile URL template ("https://tile.example.fr/{z}/{x}/{y}.png")
	// drawn under the outlines. Empty: no base map, the page draws only
	// what sitematch serves. A ?basemap=URL in the page's address also
	// turns one on, for that visit.
	BaseMap string
	// BaseMapAttribution is shown on the map when BaseMap is set (the tile
	// provider's licence usually requires it).
	BaseMapAttribution string
}

// asset is one file the app serves, ready to answer.
type asset struct {
	body        []byte
	contentType string
	etag        string // weak: the server may gzip the body
	cache       string // Cache-Control
}

// Cache policies: the app's own files revalidate on every load (cheap with
// ETags, and a new binary takes effect at once); the map library lives in a
// folder named after its version, so it may be cached for a year.
const (
	cacheRevalidate = "no-cache"
	cacheImmutable  = "public, max-age=31536000, immutable"
	cacheOutlines   = "public, max-age=3600"
)

// contentTypes are the types of the files in dist/, set explicitly rather
// than from the host's MIME tables, which differ between systems.
var contentTypes = map[string]string{
	".html":    "text/html; charset=utf-8",
	".js":      "text/javascript; charset=utf-8",
	".css":     "text/css; charset=utf-8",
	".json":    "application/json",
	".geojson": "application/geo+json",
	".png":     "image/png",
	".svg":     "image/svg+xml",
	".ico":     "image/x-icon",
	".txt":     "text/plain; charset=utf-8",
	".sha256":  "text/plain; charset=utf-8",
}

// contentSecurityPolicy allows only sitematch's own scripts and API calls.
// Images may come from anywhere over HTTP(S) for the optional base map's
// tiles; inline styles are allowed for the bars' widths.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data: blob: https: http:; connect-src 'self'; font-src 'self'; object-src 'none'; " +
	"base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// Register serves the web app under /app/ (GET /app redirects there) and the
// display outlines at /app/outlines/{level}.geojson for every level of
// outlines (data.Catalogue.Outlines: "regions", "departements"). It uses no
// outside network and no base map; see RegisterWith.
func Register(e *echo.Echo, outlines map[string][]byte) {
	RegisterWith(e, outlines, Options{})
}

// RegisterWith is Register with options (an online base map).
func RegisterWith(e *echo.Echo, outlines map[string][]byte, opts Options) {
	assets := loadAssets()
	cfg, _ := json.Marshal(map[string]any{"basemap": nonEmpty(opts.BaseMap), "basemap_attribution": nonEmpty(opts.BaseMapAttribution)})
	assets["config.json"] = newAsset(cfg, contentTypes[".json"], cacheRevalidate)
	for level, body := range outlines {
		assets["outlines/"+level+".geojson"] = newAsset(body, contentTypes[".geojson"], cacheOutlines)
	}
	methods := []string{http.MethodGet, http.MethodHead}
	e.Match(methods, strings.TrimSuffix(Prefix, "/"), func(c echo.Context) error {
		u := *c.Request().URL
		u.Path = Prefix
		return c.Redirect(http.StatusMovedPermanently, u.RequestURI())
	})
	e.Match(methods, Prefix, func(c echo.Context) error { return serve(c, assets["index.html"]) })
	e.Match(methods, Prefix+"*", func(c echo.Context) error {
		a, ok := assets[c.Param("*")]
		if !ok {
			return echo.ErrNotFound
		}
		return serve(c, a)
	})
}

// Index returns the app's page (index.html), for a server that answers
// GET / with it when a browser asks for HTML (see PrefersHTML and
// ServeIndex). Its links are absolute, under /app/, so it works at any path.
func Index() []byte {
	b, err := distFS.ReadFile("dist/index.html")
	if err != nil {
		panic("web: dist/index.html is not embedded: " + err.Error())
	}
	return b
}

var indexAsset = newAsset(Index(), contentTypes[".html"], cacheRevalidate)

// ServeIndex answers with the app's page and its security headers, for a
// URL that also has another representation (GET / is the OGC landing page
// in JSON): it adds Vary: Accept, which the JSON answer needs too.
func ServeIndex(c echo.Context) error {
	c.Response().Header().Add("Vary", "Accept")
	return serve(c, indexAsset)
}

// PrefersHTML reports whether an Accept header asks for HTML before JSON:
// browsers send "text/html,…", API clients "application/json" or nothing.
// A server can route GET / to ServeIndex when it is true and to its JSON
// landing page otherwise.
func PrefersHTML(accept string) bool {
	best := func(want ...string) float64 {
		q := 0.0
		for _, part := range strings.Split(accept, ",") {
			mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
			if err != nil {
				continue
			}
			for _, w := range want {
				if mt == w {
					v := 1.0
					if s, ok := params["q"]; ok {
						v = parseQ(s)
					}
					q = max(q, v)
				}
			}
		}
		return q
	}
	html := best("text/html", "application/xhtml+xml")
	return html > 0 && html >= best("application/json", "application/geo+json")
}

func parseQ(s string) float64 {
	// q = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), RFC 9110.
	if s == "" || (s[0] != '0' && s[0] != '1') {
		return 0
	}
	v, scale := float64(s[0]-'0'), 0.1
	if len(s) > 1 {
		if s[1] != '.' {
			return 0
		}
		for _, r := range s[2:] {
			if r < '0' || r > '9' {
				return 0
			}
			v += float64(r-'0') * scale
			scale /= 10
		}
	}
	return min(v, 1)
}

func loadAssets() map[string]asset {
	sub, err := fs.Sub(distFS, "dist")
	if err != nil {
		panic(err) // the embed pattern guarantees the folder
	}
	assets := map[string]asset{}
	err = fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(sub, p)
		if err != nil {
			return err
		}
		ct, ok := contentTypes[path.Ext(p)]
		if !ok {
			ct = "application/octet-stream"
		}
		if path.Base(p) == "LICENSE" {
			ct = contentTypes[".txt"]
		}
		cache := cacheRevalidate
		if strings.HasPrefix(p, "vendor/") {
			cache = cacheImmutable
		}
		assets[p] = newAsset(body, ct, cache)
		return nil
	})
	if err != nil {
		panic("web: reading the embedded dist/: " + err.Error())
	}
	return assets
}

func newAsset(body []byte, contentType, cache string) asset {
	sum := sha256.Sum256(body)
	return asset{body: body, contentType: contentType, cache: cache, etag: `W/"` + hex.EncodeToString(sum[:12]) + `"`}
}

func serve(c echo.Context, a asset) error {
	h := c.Response().Header()
	h.Set("Cache-Control", a.cache)
	h.Set("ETag", a.etag)
	h.Set("X-Content-Type-Options", "nosniff")
	if strings.HasPrefix(a.contentType, "text/html") {
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
	}
	if etagMatch(c.Request().Header.Get("If-None-Match"), a.etag) {
		return c.NoContent(http.StatusNotModified)
	}
	if c.Request().Method == http.MethodHead {
		h.Set(echo.HeaderContentType, a.contentType)
		return c.NoContent(http.StatusOK)
	}
	return c.Blob(http.StatusOK, a.contentType, a.body)
}

// etagMatch implements If-None-Match's weak comparison (RFC 9110, 13.1.2).
func etagMatch(header, etag string) bool {
	if header == "" {
		return false
	}
	if strings.TrimSpace(header) == "*" {
		return true
	}
	want := strings.TrimPrefix(etag, "W/")
	for _, t := range strings.Split(header, ",") {
		if strings.TrimPrefix(strings.TrimSpace(t), "W/") == want {
			return true
		}
	}
	return false
}

func nonEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
